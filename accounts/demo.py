"""Demo accounts for `manage.py seed_demo`: a fictional customer portfolio to click through.

Every company, person, domain and number here is invented. The data is planned first, with
a fixed random seed and no database access (`demo_plan`), so it is the same on every run;
then it is written through the account services, so paths, validation and history are
exactly what the app itself produces.

Running the seed again creates nothing new: demo accounts are keyed by their external ID
("DEMO-001"), and an account that already exists is left alone together with everything
that hangs off it.
"""

import random
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from accounts import services
from accounts.access import can_edit_account
from accounts.models import Account, Contact, ProductLine, ProfileSection, TeamMembership
from kam.history import authored_by
from users.models import User

SEED = 2026

PRODUCT_LINES = ["Antriebstechnik", "Sensorik", "Service & Wartung", "Software", "Ersatzteile"]

# Accounts that tell a story the pages should be able to show.
DOMINANT_ACCOUNT = "DEMO-001"  # more than half of the revenue: concentration risk
NO_DECISION_MAKER_ACCOUNT = "DEMO-016"  # relationship map: "no decision maker known"
KEY_PLAYER_LEFT_ACCOUNT = "DEMO-013"  # relationship map: "key players have left"

# Share of all revenue the dominant account has, from two years ago to this year.
DOMINANT_SHARES = (Decimal("0.42"), Decimal("0.47"), Decimal("0.53"))

S = Account.Status
T = Account.Tier
C = Account.CustomerType
R = Contact.BuyingRole
I = Contact.Influence  # noqa: E741 - short alias keeps the role tables readable
TR = TeamMembership.TeamRole


@dataclass
class AccountSpec:
    external_id: str
    name: str
    legal_name: str
    industry: str
    customer_type: str
    country: str
    city: str
    region: str
    status: str
    tier: str
    owner: str  # key in the users dict
    domain: str
    phone: str  # country and area code
    lines: tuple[str, ...] = ()
    parent: str | None = None  # external ID
    individual: bool = False
    team: tuple[tuple[str, str, bool], ...] = ()  # (user key, team role, may edit)
    strategy: str = ""
    market_position: str = ""
    requirements: str = ""


# fmt: off
ACCOUNTS = [
    # A global car maker: subsidiaries in Germany, France, Spain and the USA, and a
    # rental fleet below the US company.
    AccountSpec(
        "DEMO-001", "Brenner Automotive AG", "Brenner Automotive Aktiengesellschaft",
        "Automobilindustrie", C.CORPORATION, "Deutschland", "Stuttgart", "Deutschland Süd",
        S.KEY_ACCOUNT, T.A, "kam", "brenner-automotive.example", "+49 711",
        lines=("Antriebstechnik", "Sensorik", "Software", "Service & Wartung"),
        individual=True,
        team=(("kam2", TR.KEY_ACCOUNT_MANAGER, True), ("leitung", TR.EXECUTIVE_SPONSOR, False)),
        strategy=(
            "Brenner stellt bis {y3} die Hälfte der Modellpalette auf Elektroantriebe um und "
            "bündelt dafür den Einkauf von Antriebskomponenten konzernweit in Stuttgart. Ziel "
            "des Konzerns: weniger Lieferanten, dafür langfristige Entwicklungspartnerschaften "
            "mit gemeinsamer Roadmap.\n\nFür uns heißt das: ein Rahmenvertrag für alle Werke "
            "(Ingolstadt, Mulhouse, Zaragoza, Spartanburg) statt Einzelbestellungen, dafür "
            "Preisbindung über drei Jahre und gemeinsame Entwicklungsprojekte ab der "
            "Konzeptphase."
        ),
        market_position=(
            "Drittgrößter Premiumhersteller in Europa, in Nordamerika stark wachsend (Werk "
            "Spartanburg). Marktanteil im Oberklassesegment rund 14 %. Unter Druck durch neue "
            "Anbieter aus Asien bei Elektrofahrzeugen; die Konzernmarge ist zuletzt von 9,1 % "
            "auf 7,4 % gesunken, der Einkauf hat ein Sparprogramm von 5 % über alle "
            "Warengruppen angekündigt."
        ),
        requirements=(
            "Kundenspezifische Antriebseinheiten nach Brenner-Werknorm BN 4711, "
            "PPAP-Freigabe für jedes Werk einzeln, Just-in-Sequence-Anlieferung nach "
            "Ingolstadt und Rückverfolgbarkeit jeder Baugruppe per Seriennummer im "
            "Brenner-Lieferantenportal. Änderungen nur über das konzernweite "
            "Änderungsmanagement."
        ),
    ),
    AccountSpec(
        "DEMO-002", "Brenner Fahrzeugwerke GmbH", "Brenner Fahrzeugwerke GmbH",
        "Automobilindustrie", C.CORPORATION, "Deutschland", "Ingolstadt", "Deutschland Süd",
        S.KEY_ACCOUNT, T.A, "kam", "brenner-automotive.example", "+49 841",
        lines=("Antriebstechnik", "Sensorik", "Service & Wartung", "Ersatzteile"),
        parent="DEMO-001", individual=True,
        team=(("vertrieb", TR.SALES_REP, True),),
        strategy=(
            "Das Werk Ingolstadt ist Leitwerk für die neue E-Plattform; der Serienanlauf ist "
            "für das Frühjahr geplant. Das Werk will die Anlagenverfügbarkeit auf 92 % "
            "steigern und setzt dafür auf vorausschauende Wartung mit Zustandsdaten aus den "
            "Antrieben."
        ),
        market_position=(
            "Größtes Werk des Brenner-Konzerns mit rund 9.500 Beschäftigten; fertigt Ober- "
            "und Mittelklasse für den Weltmarkt. Bestellungen bis 250 T€ entscheidet das Werk "
            "selbst, darüber der Konzerneinkauf."
        ),
    ),
    AccountSpec(
        "DEMO-003", "Brenner Automobiles France SAS", "Brenner Automobiles France S.A.S.",
        "Automobilindustrie", C.CORPORATION, "Frankreich", "Mulhouse", "Westeuropa",
        S.KEY_ACCOUNT, T.B, "kam2", "brenner-automobiles.example", "+33 3 89",
        lines=("Antriebstechnik", "Ersatzteile"),
        parent="DEMO-001",
        team=(("kam", TR.KEY_ACCOUNT_MANAGER, True),),
        strategy=(
            "Mulhouse soll bis Ende nächsten Jahres Kompetenzzentrum des Konzerns für "
            "Kompaktwagen werden. Lokale Einkaufsentscheidungen nur bis 250 T€, darüber "
            "entscheidet der Konzerneinkauf in Stuttgart – Abstimmung mit dem globalen KAM "
            "vor jedem Angebot."
        ),
        market_position=(
            "Zweitgrößtes Werk im Konzern; produziert die Kompaktmodelle für Europa. Starke "
            "Gewerkschaften, die Standortdiskussion wird in der französischen Presse "
            "aufmerksam verfolgt."
        ),
    ),
    AccountSpec(
        "DEMO-004", "Brenner Automoción España S.L.", "Brenner Automoción España S.L.",
        "Automobilindustrie", C.CORPORATION, "Spanien", "Zaragoza", "Südeuropa",
        S.STANDARD, T.B, "kam", "brenner-automocion.example", "+34 976",
        lines=("Ersatzteile", "Service & Wartung"),
        parent="DEMO-001",
    ),
    AccountSpec(
        "DEMO-005", "Brenner Motors USA Inc.", "Brenner Motors USA, Inc.",
        "Automobilindustrie", C.CORPORATION, "USA", "Spartanburg", "Nordamerika",
        S.KEY_ACCOUNT, T.A, "kam", "brenner-motors-usa.example", "+1 864",
        lines=("Antriebstechnik", "Sensorik", "Software"),
        parent="DEMO-001", individual=True,
        team=(("vertrieb", TR.SALES_REP, False), ("kam2", TR.OTHER, False)),
        strategy=(
            "Ausbau des Werks Spartanburg um eine zweite Montagelinie für SUVs. Wegen der "
            "Importzölle gilt „local for local“: Lieferanten sollen Teile in Nordamerika "
            "fertigen oder zumindest dort lagern. Ein Konsignationslager in South Carolina "
            "ist Voraussetzung für die nächste Vergabe."
        ),
        market_position=(
            "Wachstumsmarkt Nummer eins des Konzerns; der Absatz in den USA ist zuletzt um "
            "11 % gestiegen. Über die Tochter Brenner Fleet Rentals auch im Flottengeschäft "
            "aktiv."
        ),
        requirements=(
            "Teile nach US-Normen (UL, SAE) dokumentiert, Ansprechpartner vor Ort in der "
            "US-Zeitzone, Ersatzteilversorgung innerhalb von 24 Stunden."
        ),
    ),
    AccountSpec(
        "DEMO-006", "Brenner Fleet Rentals LLC", "Brenner Fleet Rentals, LLC",
        "Autovermietung & Mobilität", C.CORPORATION, "USA", "Atlanta", "Nordamerika",
        S.POTENTIAL, T.B, "kam", "brenner-fleet.example", "+1 404",
        lines=("Software",),
        parent="DEMO-005",
        strategy=(
            "Die Mietflotte (rund 38.000 Fahrzeuge, überwiegend Brenner-Modelle) wird auf "
            "Telematik umgestellt. Chance für Sensorik- und Softwarepakete im "
            "Flottenmanagement; die Entscheidung fällt im nächsten Geschäftsjahr."
        ),
        market_position=(
            "Autovermietung an Flughäfen im Südosten der USA, Nummer drei in der Region. "
            "Tochter von Brenner Motors USA; kauft Fahrzeuge zu Konzernkonditionen."
        ),
    ),
    # A pharmaceutical group: three national subsidiaries.
    AccountSpec(
        "DEMO-007", "Aurelia Pharma Holding AG", "Aurelia Pharma Holding AG",
        "Pharma", C.CORPORATION, "Schweiz", "Basel", "DACH",
        S.KEY_ACCOUNT, T.A, "kam2", "aurelia-pharma.example", "+41 61",
        lines=("Sensorik", "Software", "Service & Wartung"),
        individual=True,
        team=(("leitung", TR.EXECUTIVE_SPONSOR, False),),
        strategy=(
            "Aurelia konzentriert sich auf Biologika und verlagert die Produktion fester "
            "Arzneiformen an Lohnhersteller. Konzernweites Programm „Aurelia Smart Plant“: "
            "Digitalisierung der Produktion und lückenlose Serialisierung bis {y2}.\n\n"
            "Wir wollen Standardlieferant für Sensorik und Anlagensoftware in allen Werken "
            "werden; Einstieg über das Pilotprojekt in Leverkusen."
        ),
        market_position=(
            "Mittelgroßer Pharmakonzern mit Sitz in Basel, Schwerpunkt Onkologie und "
            "Immunologie; rund 12.000 Mitarbeitende in 14 Ländern. Solide Pipeline, zwei "
            "Zulassungen im letzten Jahr."
        ),
        requirements=(
            "GMP-konforme Dokumentation (EU-GMP Annex 11, 21 CFR Part 11), validierte "
            "Software-Updates nur in abgestimmten Wartungsfenstern, Qualifizierung (IQ/OQ) "
            "durch unser Service-Team vor Ort, Audit-Recht beim Lieferanten."
        ),
    ),
    AccountSpec(
        "DEMO-008", "Aurelia Pharma Deutschland GmbH", "Aurelia Pharma Deutschland GmbH",
        "Pharma", C.CORPORATION, "Deutschland", "Leverkusen", "Deutschland West",
        S.KEY_ACCOUNT, T.A, "kam2", "aurelia-pharma.example", "+49 214",
        lines=("Sensorik", "Software", "Service & Wartung", "Ersatzteile"),
        parent="DEMO-007", individual=True,
        team=(("kam", TR.KEY_ACCOUNT_MANAGER, False),),
        strategy=(
            "Der Standort Leverkusen wird zum europäischen Verpackungs- und Logistikzentrum "
            "des Konzerns ausgebaut. Das Investitionsbudget für die Automatisierung von drei "
            "Verpackungslinien ist für dieses Jahr freigegeben."
        ),
        market_position=(
            "Umsatzstärkste Landesgesellschaft; Vertrieb an Kliniken und Apotheken in "
            "Deutschland, Produktion von Sterilprodukten."
        ),
    ),
    AccountSpec(
        "DEMO-009", "Aurelia Pharma Österreich GmbH", "Aurelia Pharma Österreich GmbH",
        "Pharma", C.CORPORATION, "Österreich", "Wien", "DACH",
        S.POTENTIAL, T.B, "kam2", "aurelia-pharma.example", "+43 1",
        lines=("Service & Wartung",),
        parent="DEMO-007",
        strategy=(
            "Eine neue Abfüllanlage in Wien ist geplant, die Ausschreibung wird im Herbst "
            "erwartet. Wir wollen vorher mit einer Machbarkeitsstudie Fuß fassen."
        ),
        market_position=(
            "Vertriebsgesellschaft mit kleiner Produktion für Österreich und Südosteuropa."
        ),
    ),
    AccountSpec(
        "DEMO-010", "Aurelia Farmaceutici Italia S.p.A.", "Aurelia Farmaceutici Italia S.p.A.",
        "Pharma", C.CORPORATION, "Italien", "Mailand", "Südeuropa",
        S.STANDARD, T.B, "kam2", "aurelia-farmaceutici.example", "+39 02",
        lines=("Ersatzteile",),
        parent="DEMO-007",
    ),
    # Single companies and public customers.
    AccountSpec(
        "DEMO-011", "Nordlicht Logistik GmbH", "Nordlicht Logistik GmbH & Co. KG",
        "Logistik", C.MIDSIZED, "Deutschland", "Hamburg", "Deutschland Nord",
        S.KEY_ACCOUNT, T.A, "kam", "nordlicht-logistik.example", "+49 40",
        lines=("Sensorik", "Software", "Service & Wartung"),
        individual=True,
        team=(("vertrieb", TR.SALES_REP, True), ("kam2", TR.KEY_ACCOUNT_MANAGER, False)),
        strategy=(
            "Nordlicht will bis {y2} alle Lager in Hamburg, Bremen und Hannover "
            "vollautomatisiert betreiben und wächst in der Kontraktlogistik für "
            "Onlinehändler. Gesucht wird ein Partner für Sensorik und Software aus einer "
            "Hand, der auch den Service im Drei-Schicht-Betrieb abdeckt."
        ),
        market_position=(
            "Familiengeführter Logistikdienstleister, Marktführer für Kontraktlogistik im "
            "Hamburger Hafen; rund 1.800 Mitarbeitende. Konkurriert mit großen "
            "Konzernlogistikern über Preis und Flexibilität."
        ),
        requirements=(
            "Reaktionszeit im Störfall unter vier Stunden, Ersatzteillager vor Ort, "
            "Schnittstelle unserer Software zum Lagerverwaltungssystem des Kunden."
        ),
    ),
    AccountSpec(
        "DEMO-012", "Hoffmann & Söhne Maschinenbau KG", "Hoffmann & Söhne Maschinenbau KG",
        "Maschinenbau", C.MIDSIZED, "Deutschland", "Bielefeld", "Deutschland West",
        S.KEY_ACCOUNT, T.B, "kam", "hoffmann-soehne.example", "+49 521",
        lines=("Antriebstechnik", "Ersatzteile"),
        team=(("kam2", TR.KEY_ACCOUNT_MANAGER, True),),
        strategy=(
            "Hoffmann & Söhne baut ein Servicegeschäft mit Fernwartung auf und will "
            "Ersatzteile künftig online verkaufen. Die Nachfolge ist geregelt: der Sohn des "
            "Inhabers übernimmt in zwei Jahren die Geschäftsführung."
        ),
        market_position=(
            "Mittelständischer Hersteller von Verpackungsmaschinen, 650 Mitarbeitende, hohe "
            "Exportquote nach Osteuropa und Asien."
        ),
    ),
    AccountSpec(
        "DEMO-013", "Alpen Medizintechnik GmbH", "Alpen Medizintechnik GmbH",
        "Medizintechnik", C.MIDSIZED, "Deutschland", "Rosenheim", "Deutschland Süd",
        S.KEY_ACCOUNT, T.B, "kam", "alpen-medizintechnik.example", "+49 8031",
        lines=("Antriebstechnik", "Sensorik"),
        individual=True,
        team=(("vertrieb", TR.SALES_REP, False),),
        strategy=(
            "Alpen Medizintechnik erweitert das Portfolio um robotergestützte OP-Tische; "
            "Markteinführung in zwei Jahren, die Zulassung nach MDR läuft. Nach dem Weggang "
            "des Einkaufsleiters wird die Lieferantenstrategie neu aufgesetzt – Risiko und "
            "Chance zugleich: Termin mit der kommissarischen Einkaufsleitung vereinbaren."
        ),
        market_position=(
            "Spezialist für OP-Tische und Patientenlagerung, Exportquote 70 %. "
            "Weltmarktführer in der Nische Neurochirurgie."
        ),
        requirements=(
            "Medizinprodukte-taugliche Antriebe (geräuscharm, IEC 60601), Änderungen nur "
            "mit Vorankündigung von zwölf Monaten, Dokumentation für die technische Akte."
        ),
    ),
    AccountSpec(
        "DEMO-014", "Stadtwerke Elbtal", "Stadtwerke Elbtal GmbH",
        "Energieversorgung", C.PUBLIC, "Deutschland", "Dresden", "Deutschland Ost",
        S.KEY_ACCOUNT, T.B, "kam", "stadtwerke-elbtal.example", "+49 351",
        lines=("Sensorik", "Service & Wartung"),
        team=(("vertrieb", TR.SALES_REP, False),),
        strategy=(
            "Die Stadtwerke modernisieren bis {y4} Wasserwerke und Umspannwerke "
            "(Förderprogramm des Landes). Beschafft wird ausschließlich über öffentliche "
            "Ausschreibungen nach VgV bzw. UVgO; Rahmenverträge laufen vier Jahre."
        ),
        market_position=(
            "Kommunaler Versorger für Strom, Gas, Wasser und Fernwärme mit rund 240.000 "
            "Kundinnen und Kunden; Eigentümer sind die Stadt und zwei Landkreise."
        ),
    ),
    AccountSpec(
        "DEMO-015", "Rheintal Chemie AG", "Rheintal Chemie AG",
        "Chemie", C.CORPORATION, "Deutschland", "Ludwigshafen", "Deutschland West",
        S.KEY_ACCOUNT, T.A, "kam2", "rheintal-chemie.example", "+49 621",
        lines=("Antriebstechnik", "Service & Wartung", "Ersatzteile"),
        team=(("leitung", TR.EXECUTIVE_SPONSOR, False),),
        strategy=(
            "Rheintal Chemie senkt den Energieverbrauch der Anlagen bis {y3} um 25 % und "
            "ersetzt dafür Antriebe in Pumpen und Rührwerken. Die Instandhaltung soll "
            "zustandsorientiert statt nach festen Intervallen arbeiten."
        ),
        market_position=(
            "Hersteller von Spezialchemikalien für die Lack- und Klebstoffindustrie; Nummer "
            "zwei in Europa bei Polyurethan-Vorprodukten. Hohe Energiepreise belasten das "
            "Ergebnis."
        ),
    ),
    AccountSpec(
        "DEMO-016", "Hanse Windkraft AG", "Hanse Windkraft AG",
        "Erneuerbare Energien", C.CORPORATION, "Deutschland", "Bremen", "Deutschland Nord",
        S.POTENTIAL, T.A, "kam", "hanse-windkraft.example", "+49 421",
        lines=("Sensorik", "Service & Wartung"),
        team=(("vertrieb", TR.SALES_REP, True),),
        strategy=(
            "Hanse Windkraft plant einen Servicestützpunkt in Cuxhaven und sucht einen "
            "Partner für die Zustandsüberwachung der Getriebe. Nach der Übernahme durch "
            "einen Finanzinvestor ist der Vorstand neu besetzt; wer künftig entscheidet, ist "
            "offen – das ist die wichtigste Frage für den Account-Plan."
        ),
        market_position=(
            "Betreiber und Servicedienstleister für rund 900 Windenergieanlagen an Land und "
            "auf See."
        ),
    ),
    AccountSpec(
        "DEMO-017", "Lumen Retail SE", "Lumen Retail SE",
        "Einzelhandel", C.CORPORATION, "Deutschland", "Düsseldorf", "Deutschland West",
        S.POTENTIAL, T.A, "kam2", "lumen-retail.example", "+49 211",
        lines=("Sensorik", "Software"),
        strategy=(
            "Lumen modernisiert 420 Filialen in Deutschland und Österreich: Kühltechnik, "
            "Energiemonitoring, Self-Checkout. Die Pilotfilialen in Düsseldorf laufen seit "
            "dem Frühjahr."
        ),
        market_position=(
            "Viertgrößte Drogerie- und Haushaltswarenkette im deutschsprachigen Raum."
        ),
    ),
    AccountSpec(
        "DEMO-018", "Ville de Lyon", "Ville de Lyon – Direction de la commande publique",
        "Öffentliche Verwaltung", C.PUBLIC, "Frankreich", "Lyon", "Westeuropa",
        S.POTENTIAL, T.B, "kam2", "ville-de-lyon.example", "+33 4 72",
        lines=("Sensorik",),
        strategy=(
            "Programm „Lyon Ville Durable“: Sensorik für Straßenbeleuchtung und öffentliche "
            "Gebäude. Ausschreibungen laufen über die französische Vergabeplattform, "
            "Unterlagen nur auf Französisch."
        ),
        market_position=(
            "Drittgrößte Stadt Frankreichs; zentrale Beschaffung für rund 700 öffentliche "
            "Gebäude."
        ),
    ),
    AccountSpec(
        "DEMO-019", "Polaris Robotics Sp. z o.o.", "Polaris Robotics Sp. z o.o.",
        "Robotik", C.MIDSIZED, "Polen", "Wrocław", "Osteuropa",
        S.POTENTIAL, T.B, "kam", "polaris-robotics.example", "+48 71",
        lines=("Antriebstechnik",),
        strategy=(
            "Polaris expandiert nach Deutschland und sucht einen Serienlieferanten für "
            "Servoantriebe."
        ),
        market_position="Junger Hersteller kollaborativer Roboter, stark wachsend, "
        "Venture-finanziert.",
    ),
    AccountSpec(
        "DEMO-020", "Ostsee Werft GmbH", "Ostsee Werft GmbH",
        "Schiffbau", C.MIDSIZED, "Deutschland", "Rostock", "Deutschland Nord",
        S.POTENTIAL, T.B, "kam", "ostsee-werft.example", "+49 381",
        lines=("Antriebstechnik", "Service & Wartung"),
        team=(("vertrieb", TR.SALES_REP, False),),
        strategy=(
            "Umbau der Werft auf Spezialschiffe (Offshore-Service, Forschung); die "
            "Modernisierung der Krananlagen ist für nächstes Jahr geplant."
        ),
        market_position="Mittelständische Werft mit Auftragsbestand für drei Jahre.",
    ),
    AccountSpec(
        "DEMO-021", "Kessler Lebensmittel GmbH & Co. KG", "Kessler Lebensmittel GmbH & Co. KG",
        "Lebensmittel", C.MIDSIZED, "Deutschland", "Ulm", "Deutschland Süd",
        S.STANDARD, T.B, "kam", "kessler-lebensmittel.example", "+49 731",
        lines=("Service & Wartung", "Ersatzteile"),
    ),
    AccountSpec(
        "DEMO-022", "Verkehrsbetriebe Isartal", "Verkehrsbetriebe Isartal AöR",
        "Öffentlicher Nahverkehr", C.PUBLIC, "Deutschland", "München", "Deutschland Süd",
        S.STANDARD, T.B, "kam", "vb-isartal.example", "+49 89",
        lines=("Sensorik", "Ersatzteile"),
    ),
    AccountSpec(
        "DEMO-023", "Van der Berg Agro B.V.", "Van der Berg Agro B.V.",
        "Landtechnik", C.MIDSIZED, "Niederlande", "Venlo", "Westeuropa",
        S.STANDARD, T.C, "kam2", "vanderberg-agro.example", "+31 77",
        lines=("Antriebstechnik",),
    ),
    AccountSpec(
        "DEMO-024", "Nordic Paper AB", "Nordic Paper Aktiebolag",
        "Papier & Verpackung", C.CORPORATION, "Schweden", "Göteborg", "Nordeuropa",
        S.STANDARD, T.B, "kam2", "nordic-paper.example", "+46 31",
        lines=("Antriebstechnik", "Service & Wartung"),
    ),
    AccountSpec(
        "DEMO-025", "Tessiner Präzisionsteile SA", "Tessiner Präzisionsteile SA",
        "Präzisionsmechanik", C.MIDSIZED, "Schweiz", "Lugano", "DACH",
        S.STANDARD, T.C, "kam2", "tessiner-praezision.example", "+41 91",
        lines=("Sensorik",),
    ),
    AccountSpec(
        "DEMO-026", "Helios Solartechnik GmbH", "Helios Solartechnik GmbH",
        "Erneuerbare Energien", C.MIDSIZED, "Deutschland", "Erfurt", "Deutschland Ost",
        S.STANDARD, T.C, "kam", "helios-solar.example", "+49 361",
        lines=("Sensorik", "Software"),
    ),
    AccountSpec(
        "DEMO-027", "Universitätsklinikum Weserland", "Universitätsklinikum Weserland AöR",
        "Gesundheitswesen", C.PUBLIC, "Deutschland", "Hannover", "Deutschland Nord",
        S.PROSPECT, T.B, "kam2", "uk-weserland.example", "+49 511",
    ),
    AccountSpec(
        "DEMO-028", "Sonnenhof Getränke GmbH", "Sonnenhof Getränke GmbH",
        "Getränke", C.MIDSIZED, "Deutschland", "Freiburg im Breisgau", "Deutschland Süd",
        S.PROSPECT, T.C, "kam", "sonnenhof-getraenke.example", "+49 761",
    ),
    AccountSpec(
        "DEMO-029", "Atlas Aerospace Ltd", "Atlas Aerospace Limited",
        "Luft- und Raumfahrt", C.CORPORATION, "Vereinigtes Königreich", "Bristol",
        "Westeuropa", S.PROSPECT, T.B, "kam2", "atlas-aerospace.example", "+44 117",
    ),
    AccountSpec(
        "DEMO-030", "Castellano Alimentación S.A.", "Castellano Alimentación S.A.",
        "Lebensmittel", C.CORPORATION, "Spanien", "Valencia", "Südeuropa",
        S.PROSPECT, T.C, "kam2", "castellano-alimentacion.example", "+34 96",
    ),
    AccountSpec(
        "DEMO-031", "Falkner Bau GmbH", "Falkner Bau GmbH",
        "Bauwesen", C.MIDSIZED, "Deutschland", "Leipzig", "Deutschland Ost",
        S.FORMER, T.C, "kam", "falkner-bau.example", "+49 341",
        lines=("Ersatzteile",),
    ),
    AccountSpec(
        "DEMO-032", "Meridian Foods Inc.", "Meridian Foods, Inc.",
        "Lebensmittel", C.CORPORATION, "USA", "Chicago", "Nordamerika",
        S.FORMER, T.B, "kam2", "meridian-foods.example", "+1 312",
        lines=("Antriebstechnik", "Service & Wartung"),
    ),
    AccountSpec(
        "DEMO-033", "Grünwald Textil AG", "Grünwald Textil AG",
        "Textil", C.MIDSIZED, "Deutschland", "Augsburg", "Deutschland Süd",
        S.FORMER, T.C, "kam", "gruenwald-textil.example", "+49 821",
        lines=("Antriebstechnik",),
    ),
]
# fmt: on

LOCALE_BY_COUNTRY = {
    "Deutschland": "de",
    "Österreich": "de",
    "Frankreich": "fr",
    "Spanien": "es",
    "USA": "en",
    "Vereinigtes Königreich": "en",
    "Italien": "it",
    "Niederlande": "nl",
    "Polen": "pl",
    "Schweden": "sv",
}
LOCALE_BY_CITY = {"Basel": "de", "Lugano": "it"}
MOBILE_PREFIX = {
    "Deutschland": "+49 151",
    "Österreich": "+43 664",
    "Schweiz": "+41 79",
    "Frankreich": "+33 6",
    "Spanien": "+34 6",
    "USA": "+1 864",
    "Vereinigtes Königreich": "+44 7700",
    "Italien": "+39 347",
    "Niederlande": "+31 6",
    "Polen": "+48 601",
    "Schweden": "+46 70",
}

# (male first names, female first names, last names)
NAMES = {
    "de": (
        "Thomas Michael Andreas Stefan Markus Jan Tobias Florian Christian Matthias Jörg Ralf "
        "Sebastian Daniel Alexander Uwe Frank Dirk Oliver Lukas Philipp Benedikt Henrik Klaus "
        "Wolfgang Mehmet",
        "Sabine Claudia Julia Katharina Anja Nicole Stefanie Melanie Birgit Susanne Christina "
        "Lena Miriam Anne Petra Franziska Johanna Sandra Carolin Jana Ulrike Martina Heike "
        "Elif Sophie",
        "Müller Schmidt Schneider Fischer Weber Wagner Becker Hoffmann Schäfer Koch Richter "
        "Klein Wolf Schröder Neumann Schwarz Zimmermann Braun Krüger Hartmann Lange Werner "
        "Krause Lehmann Köhler Maier Huber Kaiser Fuchs Peters Scholz Möller Vogel Jung Keller "
        "Günther Berger Winkler Roth Beck Lorenz Baumann Öztürk Kowalski Nguyen Haas Brandl",
    ),
    "fr": (
        "Julien Nicolas Pierre Thomas Antoine Mathieu Laurent Olivier Sébastien Guillaume",
        "Camille Claire Isabelle Sophie Nathalie Émilie Aurélie Céline Marion Juliette",
        "Martin Bernard Dubois Durand Lefèvre Moreau Girard Roux Fournier Mercier Blanc "
        "Garnier Chevalier Rousseau Faure Benali",
    ),
    "es": (
        "Javier Carlos Alejandro Miguel Sergio Pablo Diego Raúl Jorge",
        "María Lucía Carmen Elena Laura Marta Ana Paula Cristina",
        "García Fernández López Martínez Sánchez Pérez Gómez Ruiz Navarro Torres Romero "
        "Ortega Delgado Castillo",
    ),
    "en": (
        "James Michael Robert David Daniel Christopher Andrew Kevin Brian Ryan Mark Steven",
        "Jennifer Sarah Jessica Emily Ashley Rachel Laura Megan Olivia Hannah Karen Priya",
        "Smith Johnson Williams Brown Miller Davis Wilson Anderson Taylor Thomas Moore Jackson "
        "Harris Clark Lewis Walker Patel Nguyen Rodriguez Kim",
    ),
    "it": (
        "Marco Luca Alessandro Giovanni Matteo Davide Stefano Paolo",
        "Giulia Francesca Chiara Sara Valentina Elena Federica Silvia",
        "Rossi Russo Ferrari Esposito Bianchi Romano Colombo Ricci Marino Greco Bruno Gallo "
        "Conti Costa",
    ),
    "nl": (
        "Jeroen Bram Sander Pieter Thijs Maarten Joost",
        "Anouk Sanne Lotte Femke Eva Inge Marieke",
        "de_Vries Jansen van_den_Berg Bakker Visser Smit Meijer de_Boer Mulder Bos Vos Dekker",
    ),
    "pl": (
        "Piotr Krzysztof Tomasz Paweł Marcin Michał Łukasz",
        "Anna Katarzyna Magdalena Agnieszka Joanna Monika Ewa",
        "Nowak Kowalczyk Wójcik Mazur Krawczyk Zając Król Wieczorek Pawlak Dudek Walczak Sikora",
    ),
    "sv": (
        "Erik Lars Anders Johan Magnus Oskar Nils",
        "Anna Karin Maria Sara Emma Ingrid Linnea",
        "Andersson Johansson Karlsson Nilsson Eriksson Larsson Olsson Persson Lindqvist Berg "
        "Lundgren Holm",
    ),
}


@dataclass(frozen=True)
class Position:
    """A job in the customer's buying center; `manager` indexes the same table."""

    title_m: str
    title_f: str
    title_en: str
    department: str
    department_en: str
    role: str
    influence: str
    manager: int | None


# Ordered so that every manager comes before the people reporting to them: the first N
# positions always form a complete org chart.
COMPANY_POSITIONS = [
    Position("Geschäftsführer", "Geschäftsführerin", "Managing Director",
             "Geschäftsführung", "Management", R.DECISION_MAKER, I.HIGH, None),
    Position("Technischer Geschäftsführer", "Technische Geschäftsführerin",
             "Chief Operating Officer", "Geschäftsführung", "Management",
             R.EXECUTIVE_SPONSOR, I.HIGH, 0),
    Position("Leiter Einkauf", "Leiterin Einkauf", "Head of Procurement",
             "Einkauf", "Procurement", R.ECONOMIC_BUYER, I.HIGH, 0),
    Position("Leiter Entwicklung", "Leiterin Entwicklung", "Head of Engineering",
             "Entwicklung", "Engineering", R.TECHNICAL_BUYER, I.HIGH, 1),
    Position("Projektleiter", "Projektleiterin", "Project Manager",
             "Entwicklung", "Engineering", R.CHAMPION, I.MEDIUM, 3),
    Position("Strategischer Einkäufer", "Strategische Einkäuferin", "Strategic Buyer",
             "Einkauf", "Procurement", R.GATEKEEPER, I.MEDIUM, 2),
    Position("Werksleiter", "Werksleiterin", "Plant Manager",
             "Produktion", "Operations", R.USER, I.MEDIUM, 1),
    Position("Leiter Qualitätsmanagement", "Leiterin Qualitätsmanagement", "Head of Quality",
             "Qualitätsmanagement", "Quality", R.INFLUENCER, I.MEDIUM, 1),
    Position("Kaufmännischer Leiter", "Kaufmännische Leiterin", "Chief Financial Officer",
             "Finanzen", "Finance", R.INFLUENCER, I.HIGH, 0),
    Position("Assistent der Geschäftsführung", "Assistentin der Geschäftsführung",
             "Executive Assistant", "Geschäftsführung", "Management", R.GATEKEEPER, I.LOW, 0),
    Position("Leiter Instandhaltung", "Leiterin Instandhaltung", "Maintenance Manager",
             "Instandhaltung", "Maintenance", R.USER, I.MEDIUM, 6),
    Position("Leiter Logistik", "Leiterin Logistik", "Head of Logistics",
             "Logistik", "Logistics", R.USER, I.LOW, 6),
    Position("IT-Leiter", "IT-Leiterin", "Head of IT", "IT", "IT", R.INFLUENCER, I.MEDIUM, 8),
    Position("Einkäufer", "Einkäuferin", "Buyer", "Einkauf", "Procurement",
             R.GATEKEEPER, I.LOW, 5),
    Position("Entwicklungsingenieur", "Entwicklungsingenieurin", "Development Engineer",
             "Entwicklung", "Engineering", R.USER, I.LOW, 4),
]  # fmt: skip

# Large companies call the top two positions differently.
CORPORATE_TOP = {
    0: ("Vorstandsvorsitzender", "Vorstandsvorsitzende", "Chief Executive Officer",
        "Vorstand", "Executive Board"),
    1: ("Vorstand Technik", "Vorständin Technik", "Chief Technology Officer",
        "Vorstand", "Executive Board"),
}  # fmt: skip

PUBLIC_POSITIONS = [
    Position("Geschäftsführer", "Geschäftsführerin", "Director General",
             "Geschäftsleitung", "Executive Management", R.DECISION_MAKER, I.HIGH, None),
    Position("Kaufmännischer Direktor", "Kaufmännische Direktorin", "Director of Finance",
             "Finanzen", "Finance", R.EXECUTIVE_SPONSOR, I.HIGH, 0),
    Position("Leiter Vergabestelle", "Leiterin Vergabestelle", "Head of Public Procurement",
             "Zentrale Vergabestelle", "Public Procurement", R.ECONOMIC_BUYER, I.HIGH, 1),
    Position("Technischer Leiter", "Technische Leiterin", "Technical Director",
             "Technik", "Technical Services", R.TECHNICAL_BUYER, I.HIGH, 0),
    Position("Projektleiter Digitalisierung", "Projektleiterin Digitalisierung",
             "Digital Transformation Lead", "Digitalisierung", "Digital Services",
             R.CHAMPION, I.MEDIUM, 3),
    Position("Sachbearbeiter Vergabe", "Sachbearbeiterin Vergabe", "Procurement Officer",
             "Zentrale Vergabestelle", "Public Procurement", R.GATEKEEPER, I.MEDIUM, 2),
    Position("Leiter Betrieb", "Leiterin Betrieb", "Head of Operations",
             "Betrieb", "Operations", R.USER, I.MEDIUM, 3),
    Position("Datenschutzbeauftragter", "Datenschutzbeauftragte", "Data Protection Officer",
             "Recht & Datenschutz", "Legal & Data Protection", R.INFLUENCER, I.MEDIUM, 0),
    Position("Referent der Geschäftsleitung", "Referentin der Geschäftsleitung",
             "Chief of Staff", "Geschäftsleitung", "Executive Management",
             R.GATEKEEPER, I.LOW, 0),
    Position("Leiter IT", "Leiterin IT", "Head of IT", "IT", "IT", R.INFLUENCER, I.MEDIUM, 1),
    Position("Meister Instandhaltung", "Meisterin Instandhaltung", "Maintenance Supervisor",
             "Betrieb", "Operations", R.USER, I.LOW, 6),
]  # fmt: skip

# How many contacts, how strong and how friendly, by account status.
CONTACT_RANGE = {
    S.KEY_ACCOUNT: (8, 14),
    S.POTENTIAL: (5, 9),
    S.STANDARD: (5, 7),
    S.FORMER: (5, 6),
    S.PROSPECT: (3, 4),
}
STRENGTH_WEIGHTS = {  # weights of strength 1..5
    S.KEY_ACCOUNT: (0, 1, 3, 4, 3),
    S.POTENTIAL: (1, 3, 4, 2, 0),
    S.STANDARD: (1, 3, 4, 2, 1),
    S.FORMER: (3, 4, 2, 0, 0),
    S.PROSPECT: (4, 3, 1, 0, 0),
}
ATTITUDE_WEIGHTS = {  # supporter, neutral, critic
    S.KEY_ACCOUNT: (5, 4, 1),
    S.POTENTIAL: (3, 5, 2),
    S.STANDARD: (3, 5, 1),
    S.FORMER: (1, 4, 4),
    S.PROSPECT: (1, 6, 1),
}
ATTITUDES = (Contact.Attitude.SUPPORTER, Contact.Attitude.NEUTRAL, Contact.Attitude.CRITIC)

COMPETITORS = [
    "Kranich Antriebe GmbH", "Vento Drives S.p.A.", "Nordsensor AS", "Pacific Motion Corp.",
    "Sigma Industrieservice GmbH", "Teknova Systems Oy", "Rotor & Partner KG",
]  # fmt: skip
FINANCE_NOTES = {
    "private": [
        "Bonität sehr gut, zahlt pünktlich innerhalb von 30 Tagen.",
        "Zahlungsziel 60 Tage netto; Skonto wird konsequent gezogen.",
        "Eigenkapitalquote über 40 %, keine Zahlungsausfälle in den letzten Jahren.",
        "Ergebnis im letzten Geschäftsjahr rückläufig; das Kreditlimit wurde intern geprüft.",
    ],
    "public": [
        "Öffentlicher Haushalt: Zahlungen verlässlich, Budgets aber erst nach dem "
        "Haushaltsbeschluss frei; Aufträge über 215 T€ nur nach EU-weiter Ausschreibung.",
    ],
}

# Base revenue (from, to) of this year by status and tier, in euros.
REVENUE_RANGE = {
    (S.KEY_ACCOUNT, T.A): (2_500_000, 6_000_000),
    (S.KEY_ACCOUNT, T.B): (1_000_000, 2_500_000),
    (S.POTENTIAL, T.A): (400_000, 1_200_000),
    (S.POTENTIAL, T.B): (250_000, 800_000),
    (S.STANDARD, T.B): (250_000, 800_000),
    (S.STANDARD, T.C): (100_000, 350_000),
    (S.FORMER, T.B): (500_000, 900_000),
    (S.FORMER, T.C): (200_000, 500_000),
}


@dataclass
class ContactPlan:
    first_name: str
    last_name: str
    job_title: str
    department: str
    email: str
    phone: str
    mobile: str
    preferred_language: str
    buying_role: str
    influence: str
    attitude: str
    relationship_strength: int
    relationship_owner: str | None  # key in the users dict
    legal_basis: str
    consent_on: date | None = None
    left_on: date | None = None
    manager: int | None = None  # index in the same account's list
    group_manager: bool = False  # reports to the parent account's decision maker

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}"


@dataclass
class AccountPlan:
    spec: AccountSpec
    contacts: list[ContactPlan] = field(default_factory=list)
    figures: dict[int, dict[str, Decimal | None]] = field(default_factory=dict)
    profile: dict[str, str] = field(default_factory=dict)


_TRANSLITERATE = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "ł": "l", "ı": "i", "ø": "o", "æ": "ae"}
)


def _mail_part(text: str) -> str:
    text = text.lower().translate(_TRANSLITERATE)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def _money(value: float) -> Decimal:
    """Round to hundreds of euros, as an ERP export would show plausible figures."""
    return Decimal(round(value / 100) * 100).quantize(Decimal("0.01"))


def _euros(value: Decimal) -> str:
    if value >= 1_000_000:
        return f"{value / 1_000_000:.1f}".replace(".", ",") + " Mio. €"
    return f"{value / 1000:.0f} T€"


def demo_plan(today: date | None = None) -> list[AccountPlan]:
    """All demo data, parents before subsidiaries. Pure: the same input gives the same plan."""
    today = today or timezone.localdate()
    rng = random.Random(SEED)
    plans = [AccountPlan(spec) for spec in ACCOUNTS]
    used_names: set[tuple] = set()
    for plan in plans:
        plan.contacts = _plan_contacts(rng, plan.spec, today, used_names)
        plan.figures = _plan_figures(rng, plan.spec, today.year)
    _make_dominant(plans, today.year)
    for plan in plans:
        plan.profile = _plan_profile(rng, plan, today.year)
    return plans


def _positions(spec: AccountSpec) -> list[Position]:
    if spec.customer_type == C.PUBLIC:
        return list(PUBLIC_POSITIONS)
    positions = list(COMPANY_POSITIONS)
    if spec.customer_type == C.CORPORATION:
        for index, (m, f, en, dept, dept_en) in CORPORATE_TOP.items():
            old = positions[index]
            positions[index] = Position(
                m, f, en, dept, dept_en, old.role, old.influence, old.manager
            )
    return positions


def _person(rng: random.Random, locale: str, spec: AccountSpec, used: set) -> tuple[str, str, bool]:
    """A new name: unique e-mail address per domain, no two surnames alike per account."""
    males, females, lasts = (part.split() for part in NAMES[locale])
    while True:
        female = rng.random() < 0.45
        first = rng.choice(females if female else males)
        last = rng.choice(lasts).replace("_", " ")
        keys = {("mail", spec.domain, first, last), ("surname", spec.external_id, last)}
        if not keys & used:
            used.update(keys)
            return first, last, female


def _plan_contacts(
    rng: random.Random, spec: AccountSpec, today: date, used_names: set
) -> list[ContactPlan]:
    locale = LOCALE_BY_CITY.get(spec.city) or LOCALE_BY_COUNTRY.get(spec.country, "en")
    german = locale == "de"
    low, high = CONTACT_RANGE[spec.status]
    if spec.parent and spec.status == S.KEY_ACCOUNT:
        low, high = 6, 10
    # The account whose new board nobody knows yet: no decision maker on record.
    skip = {0} if spec.external_id == NO_DECISION_MAKER_ACCOUNT else set()
    positions = _positions(spec)[: rng.randint(low, high) + len(skip)]
    team = {user: role for user, role, _can_edit in spec.team}
    contacts: list[ContactPlan] = []
    index_of: dict[int, int] = {}
    for number, position in enumerate(positions):
        if number in skip:
            continue
        first, last, female = _person(rng, locale, spec, used_names)
        contact = ContactPlan(
            first_name=first,
            last_name=last,
            job_title=(position.title_f if female else position.title_m)
            if german
            else position.title_en,
            department=position.department if german else position.department_en,
            email=f"{_mail_part(first)}.{_mail_part(last)}@{spec.domain}",
            phone=f"{spec.phone} {rng.randint(100, 999)} {rng.randint(1000, 9999)}"
            if rng.random() < 0.85
            else "",
            mobile=f"{MOBILE_PREFIX.get(spec.country, '+49 151')} {rng.randint(1000000, 9999999)}"
            if position.influence == I.HIGH and rng.random() < 0.7
            else "",
            preferred_language="de" if german else "en",
            buying_role=position.role,
            influence=position.influence,
            attitude=rng.choices(ATTITUDES, weights=ATTITUDE_WEIGHTS[spec.status])[0],
            relationship_strength=rng.choices(range(1, 6), weights=STRENGTH_WEIGHTS[spec.status])[
                0
            ],
            relationship_owner=_relationship_owner(rng, spec, position, team),
            legal_basis=Contact.LegalBasis.UNKNOWN,
            manager=index_of.get(position.manager) if position.manager is not None else None,
            group_manager=spec.parent is not None and number == 0,
        )
        _plan_legal_basis(rng, spec, contact, today)
        index_of[number] = len(contacts)
        contacts.append(contact)
    if spec.external_id == KEY_PLAYER_LEFT_ACCOUNT:
        _plan_departure(rng, spec, contacts, today, used_names)
    return contacts


def _relationship_owner(
    rng: random.Random, spec: AccountSpec, position: Position, team: dict[str, str]
) -> str | None:
    if position.influence == I.HIGH:
        return spec.owner
    if "vertrieb" in team and position.role in (R.USER, R.GATEKEEPER):
        return "vertrieb"
    deputies = [user for user, role in team.items() if role == TR.KEY_ACCOUNT_MANAGER]
    if deputies and rng.random() < 0.3:
        return deputies[0]
    if spec.status == S.PROSPECT and rng.random() < 0.5:
        return None
    return spec.owner


def _plan_legal_basis(
    rng: random.Random, spec: AccountSpec, contact: ContactPlan, today: date
) -> None:
    roll = rng.random()
    if spec.status == S.PROSPECT:
        basis = Contact.LegalBasis.LEGITIMATE_INTEREST if roll < 0.7 else Contact.LegalBasis.UNKNOWN
    elif spec.status == S.FORMER and roll < 0.15:
        basis = Contact.LegalBasis.OBJECTED
    elif roll < 0.5:
        basis = Contact.LegalBasis.CONTRACT
    elif roll < 0.8:
        basis = Contact.LegalBasis.LEGITIMATE_INTEREST
    elif roll < 0.95:
        basis = Contact.LegalBasis.CONSENT
        contact.consent_on = today - timedelta(days=rng.randint(30, 900))
    else:
        basis = Contact.LegalBasis.UNKNOWN
    contact.legal_basis = basis


def _plan_departure(
    rng: random.Random,
    spec: AccountSpec,
    contacts: list[ContactPlan],
    today: date,
    used_names: set,
) -> None:
    """The head of purchasing left; an acting successor took over their reports."""
    leaver_index = next(i for i, c in enumerate(contacts) if c.buying_role == R.ECONOMIC_BUYER)
    leaver = contacts[leaver_index]
    leaver.left_on = today - timedelta(days=74)
    leaver.attitude = Contact.Attitude.SUPPORTER
    leaver.relationship_strength = 5
    first, last, female = _person(rng, "de", spec, used_names)
    successor = ContactPlan(
        first_name=first,
        last_name=last,
        job_title="Leiterin Einkauf (kommissarisch)"
        if female
        else "Leiter Einkauf (kommissarisch)",
        department="Einkauf",
        email=f"{_mail_part(first)}.{_mail_part(last)}@{spec.domain}",
        phone=f"{spec.phone} {rng.randint(100, 999)} {rng.randint(1000, 9999)}",
        mobile="",
        preferred_language="de",
        buying_role=R.ECONOMIC_BUYER,
        influence=I.HIGH,
        attitude=Contact.Attitude.NEUTRAL,
        relationship_strength=1,
        relationship_owner=spec.owner,
        legal_basis=Contact.LegalBasis.LEGITIMATE_INTEREST,
        manager=leaver.manager,
    )
    successor_index = len(contacts)
    contacts.append(successor)
    for contact in contacts[:successor_index]:
        if contact.manager == leaver_index:
            contact.manager = successor_index
    # Managers must be created first: move the successor right behind the leaver.
    order = list(range(successor_index))
    order.insert(leaver_index + 1, successor_index)
    position = {old: new for new, old in enumerate(order)}
    reordered = [contacts[old] for old in order]
    for contact in reordered:
        if contact.manager is not None:
            contact.manager = position[contact.manager]
    contacts[:] = reordered


def _plan_figures(
    rng: random.Random, spec: AccountSpec, year: int
) -> dict[int, dict[str, Decimal | None]]:
    if spec.status == S.PROSPECT:
        potential = rng.uniform(800_000, 6_000_000)
        return {
            year: {
                "revenue": Decimal("0.00"),
                "contribution_margin": Decimal("0.00"),
                "revenue_target": _money(potential * rng.uniform(0.03, 0.08)),
                "margin_target": None,
                "revenue_potential": _money(potential),
            }
        }
    low, high = REVENUE_RANGE.get((spec.status, spec.tier), (250_000, 800_000))
    base = rng.uniform(low, high)
    if spec.status == S.FORMER:
        revenues = [base, base * rng.uniform(0.3, 0.6), 0.0]
    elif spec.status == S.POTENTIAL:
        revenues = [base * rng.uniform(0.55, 0.75), base * rng.uniform(0.75, 0.95), base]
    else:
        revenues = [base * rng.uniform(0.8, 1.0), base * rng.uniform(0.9, 1.05), base]
    share_of_wallet = {
        S.KEY_ACCOUNT: (0.35, 0.7),
        S.POTENTIAL: (0.06, 0.18),
        S.STANDARD: (0.2, 0.5),
        S.FORMER: (0.15, 0.3),
    }[spec.status]
    potential = base / rng.uniform(*share_of_wallet)
    figures = {}
    for offset, revenue in zip((2, 1, 0), revenues, strict=True):
        margin_rate = rng.uniform(0.18, 0.34)
        target = revenue * rng.uniform(0.9, 1.15) if revenue else None
        figures[year - offset] = {
            "revenue": _money(revenue),
            "contribution_margin": _money(revenue * margin_rate),
            "revenue_target": _money(target) if target else None,
            "margin_target": _money(target * (margin_rate + 0.02)) if target else None,
            "revenue_potential": _money(potential * rng.uniform(0.95, 1.05)),
        }
    return figures


def _make_dominant(plans: list[AccountPlan], year: int) -> None:
    """One customer with more than half of the revenue: the risk the dashboard must show.

    Its share grows every year while its margin shrinks (a big customer squeezes prices).
    """
    dominant = next(p for p in plans if p.spec.external_id == DOMINANT_ACCOUNT)
    years = (year - 2, year - 1, year)
    margin_rates = (Decimal("0.175"), Decimal("0.166"), Decimal("0.158"))
    target_factors = (Decimal("1.08"), Decimal("1.01"), Decimal("1.06"))
    shares_of_wallet = (Decimal("0.55"), Decimal("0.59"), Decimal("0.62"))
    for each_year, share, margin_rate, target_factor, wallet in zip(
        years, DOMINANT_SHARES, margin_rates, target_factors, shares_of_wallet, strict=True
    ):
        others = sum(
            (p.figures[each_year]["revenue"] for p in plans
             if p is not dominant and each_year in p.figures),
            Decimal(0),
        )  # fmt: skip
        revenue = _money(float(others * share / (1 - share)))
        target = _money(float(revenue * target_factor))
        dominant.figures[each_year] = {
            "revenue": revenue,
            "contribution_margin": _money(float(revenue * margin_rate)),
            "revenue_target": target,
            "margin_target": _money(float(target * Decimal("0.18"))),
            "revenue_potential": _money(float(revenue / wallet)),
        }


def _plan_profile(rng: random.Random, plan: AccountPlan, year: int) -> dict[str, str]:
    spec = plan.spec
    years = {f"y{n}": year + n for n in range(1, 6)}
    kinds = ProfileSection.Kind
    profile = {}
    if spec.strategy:
        profile[kinds.STRATEGY] = spec.strategy.format(**years)
    if spec.market_position:
        profile[kinds.MARKET_POSITION] = spec.market_position
    if spec.requirements:
        profile[kinds.REQUIREMENTS] = spec.requirements
    if spec.status != S.KEY_ACCOUNT:
        return profile

    last = plan.figures[year - 1]
    this = plan.figures[year]
    margin = last["contribution_margin"] * 100 / last["revenue"]
    share = this["revenue"] * 100 / this["revenue_potential"]
    notes = FINANCE_NOTES["public" if spec.customer_type == C.PUBLIC else "private"]
    profile[kinds.FINANCES] = (
        f"Umsatz mit uns {year - 1}: {_euros(last['revenue'])}, Deckungsbeitrag "
        f"{_euros(last['contribution_margin'])} ({margin:.0f} %). Ziel {year}: "
        f"{_euros(this['revenue_target'])}. Geschätztes Umsatzpotenzial {year}: "
        f"{_euros(this['revenue_potential'])}, unser Lieferanteil liegt bei rund "
        f"{share:.0f} %.\n\n{rng.choice(notes)}"
    )

    missing = [line for line in PRODUCT_LINES if line not in spec.lines]
    products = f"Bezieht von uns: {', '.join(spec.lines)}."
    if missing:
        products += f" Cross-Selling-Potenzial: {', '.join(missing[:2])}."
    profile[kinds.PRODUCTS] = products

    by_role = {}
    for contact in plan.contacts:
        if contact.left_on is None:
            by_role.setdefault(contact.buying_role, contact)
    lines = []
    if spec.parent:
        parent = next(s for s in ACCOUNTS if s.external_id == spec.parent)
        lines.append(
            f"Gehört zur {parent.name}; Vergaben über 250 T€ laufen über den Konzerneinkauf."
        )
    for role, text in (
        (R.DECISION_MAKER, "entscheidet über Investitionen ab 500 T€"),
        (R.ECONOMIC_BUYER, "verantwortet Budget und Rahmenverträge"),
        (R.TECHNICAL_BUYER, "gibt technisch frei"),
        (R.CHAMPION, "setzt sich im Haus für uns ein"),
    ):
        if role in by_role:
            contact = by_role[role]
            lines.append(f"{contact.name} ({contact.job_title}) {text}.")
    profile[kinds.ORGANISATION] = " ".join(lines)

    first, second = rng.sample(COMPETITORS, 2)
    profile[kinds.COMPETITORS] = (
        f"{first} ist Zweitlieferant (geschätzt {rng.randint(15, 40)} % Anteil) und punktet "
        f"über den Preis. {second} hat beim letzten Projekt angeboten, kam aber nicht zum "
        "Zug; Nachfassen bei der nächsten Ausschreibung einplanen."
    )
    return profile


def seed_accounts(users: dict[str, User]) -> int:
    """Create the demo accounts that do not exist yet; return how many demo accounts exist."""
    lines = {name: ProductLine.objects.get_or_create(name=name)[0] for name in PRODUCT_LINES}
    plans = demo_plan()
    wanted = [plan.spec.external_id for plan in plans]
    existing = {
        account.external_id: account for account in Account.objects.filter(external_id__in=wanted)
    }
    for plan in plans:
        if plan.spec.external_id not in existing:
            existing[plan.spec.external_id] = _create(plan, users, lines, existing)
    return len(wanted)


def _create(
    plan: AccountPlan,
    users: dict[str, User],
    lines: dict[str, ProductLine],
    accounts: dict[str, Account],
) -> Account:
    spec = plan.spec
    owner = users[spec.owner]
    parent = accounts[spec.parent] if spec.parent else None
    # A subsidiary is created by whoever may change the group: its owner or the admin.
    creator = owner if parent is None or can_edit_account(owner, parent) else users["admin"]
    with authored_by(creator):
        account = services.account_create(
            actor=creator,
            product_lines=[lines[name] for name in spec.lines],
            name=spec.name,
            legal_name=spec.legal_name,
            external_id=spec.external_id,
            parent=parent,
            industry=spec.industry,
            customer_type=spec.customer_type,
            country=spec.country,
            city=spec.city,
            region=spec.region,
            website=f"https://www.{spec.domain}",
            status=spec.status,
            tier=spec.tier,
            owner=owner,
            individual_requirements=spec.individual,
        )
    with authored_by(owner):
        for user, role, can_edit in spec.team:
            services.team_member_set(
                actor=owner, account=account, user=users[user], role=role, can_edit=can_edit
            )
        group_top = _top_contact(parent) if parent else None
        created: list[Contact] = []
        for contact in plan.contacts:
            manager = created[contact.manager] if contact.manager is not None else None
            if contact.group_manager:
                manager = group_top
            created.append(
                services.contact_create(
                    actor=owner,
                    account=account,
                    first_name=contact.first_name,
                    last_name=contact.last_name,
                    job_title=contact.job_title,
                    department=contact.department,
                    email=contact.email,
                    phone=contact.phone,
                    mobile=contact.mobile,
                    preferred_language=contact.preferred_language,
                    reports_to=manager,
                    buying_role=contact.buying_role,
                    influence=contact.influence,
                    attitude=contact.attitude,
                    relationship_strength=contact.relationship_strength,
                    relationship_owner=users[contact.relationship_owner]
                    if contact.relationship_owner
                    else None,
                    is_active=contact.left_on is None,
                    left_on=contact.left_on,
                    legal_basis=contact.legal_basis,
                    consent_on=contact.consent_on,
                )
            )
        for year, values in sorted(plan.figures.items()):
            services.figures_put(
                actor=owner,
                account=account,
                year=year,
                actuals_as_of=_actuals_as_of(year),
                **values,
            )
        for kind, text in plan.profile.items():
            services.profile_section_update(actor=owner, account=account, kind=kind, text=text)
    return account


def _actuals_as_of(year: int) -> date:
    """The ERP books monthly: past years are complete, this year stands at the end of last
    month (deals won since then count as won, not yet invoiced, in the forecast)."""
    today = timezone.localdate()
    if year < today.year:
        return date(year, 12, 31)
    if today.month == 1:
        return max(date(year, 1, 1), today - timedelta(days=1))
    return today.replace(day=1) - timedelta(days=1)


def _top_contact(account: Account) -> Contact | None:
    """The account's decision maker: a subsidiary's top person reports to them."""
    return (
        Contact.objects.filter(
            account=account, buying_role=Contact.BuyingRole.DECISION_MAKER, is_active=True
        )
        .order_by("pk")
        .first()
    )
