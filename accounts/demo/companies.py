"""The fictional companies of the demo portfolio: one `AccountSpec` per account, groups
before their subsidiaries, and the accounts that tell a story the pages must show."""

from dataclasses import dataclass

from accounts.models import Account, TeamMembership

PRODUCT_LINES = ["Antriebstechnik", "Sensorik", "Service & Wartung", "Software", "Ersatzteile"]

# Accounts that tell a story the pages should be able to show.
DOMINANT_ACCOUNT = "DEMO-001"  # more than half of the revenue: concentration risk
NO_DECISION_MAKER_ACCOUNT = "DEMO-016"  # relationship map: "no decision maker known"
KEY_PLAYER_LEFT_ACCOUNT = "DEMO-013"  # relationship map: "key players have left"

S = Account.Status
T = Account.Tier
C = Account.CustomerType
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
