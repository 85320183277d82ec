"""REST API for accounts, their team and figures, and contacts.

The same doors as the pages: reads start from the access scope (an outsider gets a 404,
never a hint that the record exists), writes go through accounts.services, whose model
validation is the one set of rules. Serializers only parse and shape.
"""

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import generics, permissions, serializers, status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import duplicates, gdpr, selectors, services
from accounts.access import get_account_for, get_contact_for
from accounts.api.permissions import CanEditAccount
from accounts.api.serializers import (
    AccountDetailSerializer,
    AccountSerializer,
    ContactSerializer,
    FiguresSerializer,
    TeamMemberSerializer,
)
from accounts.exports import ACCOUNTS, CONTACTS
from accounts.filters import AccountFilter, ContactFilter
from accounts.models import Account, Contact, ProductLine
from kam.api.export import ExportListMixin
from kam.api.filters import FILTERS
from kam.api.pagination import IdsFirstPagination, KeysetOrPageNumberPagination
from kam.concurrency import VersionedAPIMixin
from kam.http import actor
from kam.unset import UNSET


def account_queryset(user) -> QuerySet[Account]:
    """account_list (owner, parent, this year's figures) plus the product line ids, so a
    page of any size takes the same three queries (count, page, product lines)."""
    return selectors.account_list(user).prefetch_related(
        Prefetch("product_lines", queryset=ProductLine.objects.only("pk"))
    )


def with_group(account: Account) -> Account:
    """Attach the group roll-up and the direct subsidiaries for AccountDetailSerializer."""
    account.group_figures = selectors.group_figures(account)  # type: ignore[attr-defined]
    account.subsidiary_ids = list(  # type: ignore[attr-defined]
        account.subsidiaries.order_by("pk").values_list("pk", flat=True)
    )
    return account


def account_detail_data(request: Request, account: Account) -> dict:
    # Read back through the scope for this year's figures. A user who just handed the
    # account to someone else may no longer see it; they get what they wrote.
    fresh = account_queryset(actor(request)).filter(pk=account.pk).first()
    return AccountDetailSerializer(with_group(fresh or account), context={"request": request}).data


ALLOW_DUPLICATE = OpenApiParameter(
    "allow_duplicate",
    bool,
    description=_(
        "Create even when likely duplicates exist (without it, such a create answers 409 "
        "with the candidates)."
    ),
)
DUPLICATE_RESPONSE = OpenApiResponse(
    description=_(
        'Likely duplicates exist (`code` "duplicate"): `candidates` lists each with id, '
        "name, url and reasons (vat_id, external_id, email, name). Nothing was created."
    )
)


def allow_duplicate(request: Request) -> bool:
    value = request.query_params.get("allow_duplicate", "")
    if value.lower() not in ("", "true", "false", "1", "0"):
        raise ValidationError({"allow_duplicate": [_("Use true or false.")]})
    return value.lower() in ("true", "1")


def duplicates_response(request: Request, candidates: list[duplicates.Candidate]) -> Response:
    """409 with the likely duplicates, the answer to a create that would add one."""
    return Response(
        {
            "detail": _(
                "Likely duplicates exist. Check them, or send the request again with "
                "?allow_duplicate=true."
            ),
            "code": "duplicate",
            "candidates": [
                {
                    "id": candidate.record.pk,
                    "name": str(candidate.record),
                    "url": request.build_absolute_uri(
                        reverse(f"api-{candidate.kind}-detail", args=[candidate.record.pk])
                    ),
                    "reasons": list(candidate.reasons),
                }
                for candidate in candidates
            ],
        },
        status=status.HTTP_409_CONFLICT,
    )


@extend_schema_view(
    get=extend_schema(summary=_("List accounts")),
    post=extend_schema(
        summary=_("Create an account"),
        request=AccountSerializer,
        parameters=[ALLOW_DUPLICATE],
        responses={201: AccountDetailSerializer, 409: DUPLICATE_RESPONSE},
    ),
)
class AccountList(ExportListMixin, generics.ListCreateAPIView):
    serializer_class = AccountSerializer
    filter_backends = FILTERS
    filterset_class = AccountFilter
    export = ACCOUNTS
    pagination_class = IdsFirstPagination  # the year's figures for the page's rows only

    def get_queryset(self) -> QuerySet[Account]:
        return account_queryset(self.request.user).order_by("name", "pk")

    def create(self, request: Request, *args, **kwargs) -> Response:
        serializer = AccountSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        fields = serializer.service_fields()
        if not allow_duplicate(request):
            candidates = duplicates.account_candidates(
                user=actor(request),
                name=fields.get("name", ""),
                city=fields.get("city", ""),
                external_id=fields.get("external_id"),
                vat_id=fields.get("vat_id"),
            )
            if candidates:
                return duplicates_response(request, candidates)
        product_lines = serializer.validated_data.get("product_lines", ())
        account = services.account_create(
            actor=actor(request), product_lines=product_lines, **fields
        )
        return Response(account_detail_data(request, account), status=status.HTTP_201_CREATED)


@extend_schema_view(
    get=extend_schema(summary=_("An account with its group roll-up")),
    put=extend_schema(
        summary=_("Change an account"),
        request=AccountSerializer,
        responses=AccountDetailSerializer,
    ),
    patch=extend_schema(
        summary=_("Change some fields of an account"),
        request=AccountSerializer,
        responses=AccountDetailSerializer,
    ),
)
class AccountDetail(VersionedAPIMixin, generics.RetrieveUpdateAPIView):
    serializer_class = AccountDetailSerializer
    permission_classes = [permissions.IsAuthenticated, CanEditAccount]

    def get_queryset(self) -> QuerySet[Account]:
        return account_queryset(self.request.user)

    def retrieve(self, request: Request, *args, **kwargs) -> Response:
        account = with_group(self.get_object())
        return Response(self.get_serializer(account).data)

    def update(self, request: Request, *args, **kwargs) -> Response:
        account = self.get_object()
        serializer = AccountSerializer(
            account,
            data=request.data,
            partial=kwargs.get("partial", False),
            context=self.get_serializer_context(),
        )
        serializer.is_valid(raise_exception=True)
        account = services.account_update(
            actor=actor(request),
            account=account,
            product_lines=serializer.validated_data.get("product_lines"),
            **serializer.service_fields(),
        )
        return Response(account_detail_data(request, account))


class AccountChildView(generics.GenericAPIView):
    """Team and figures hang off an account: fetch it through the scope (404), and for
    writes check that the user may change it (403). Both lists are short (one row per
    member, one per year), so they are not paginated."""

    permission_classes = [permissions.IsAuthenticated, CanEditAccount]
    pagination_class = None
    filter_backends = []

    def get_account(self) -> Account:
        account = get_account_for(actor(self.request), self.kwargs["pk"])
        self.check_object_permissions(self.request, account)
        return account


class TeamList(AccountChildView):
    serializer_class = TeamMemberSerializer

    @extend_schema(summary=_("The account team"), responses=TeamMemberSerializer(many=True))
    def get(self, request: Request, pk: int) -> Response:
        memberships = (
            self.get_account()
            .team.select_related("user")
            .order_by("user__last_name", "user__first_name", "pk")
        )
        return Response(self.get_serializer(memberships, many=True).data)

    @extend_schema(
        summary=_("Add a team member or change their role"),
        responses={
            200: OpenApiResponse(TeamMemberSerializer, _("The membership was changed.")),
            201: OpenApiResponse(TeamMemberSerializer, _("The user was added to the team.")),
        },
    )
    def post(self, request: Request, pk: int) -> Response:
        account = self.get_account()
        serializer = TeamMemberSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        membership, created = services.team_member_set(
            actor=actor(request), account=account, **serializer.service_fields()
        )
        return Response(
            self.get_serializer(membership).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


class TeamMember(AccountChildView):
    serializer_class = TeamMemberSerializer

    @extend_schema(summary=_("Remove a team member"), responses={204: None})
    def delete(self, request: Request, pk: int, membership_id: int) -> Response:
        account = self.get_account()
        if not account.team.filter(pk=membership_id).exists():
            raise Http404
        services.team_member_remove(
            actor=actor(request), account=account, membership_id=membership_id
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class FiguresList(AccountChildView):
    serializer_class = FiguresSerializer

    @extend_schema(
        summary=_("The account's figures, newest year first"),
        responses=FiguresSerializer(many=True),
    )
    def get(self, request: Request, pk: int) -> Response:
        figures = self.get_account().figures.order_by("-year")
        return Response(self.get_serializer(figures, many=True).data)


class FiguresYear(AccountChildView):
    serializer_class = FiguresSerializer

    @extend_schema(summary=_("One year of figures"))
    def get(self, request: Request, pk: int, year: int) -> Response:
        figures = self.get_account().figures.filter(year=year).first()
        if figures is None:
            raise Http404
        return Response(self.get_serializer(figures).data)

    @extend_schema(
        summary=_("Create or replace the actuals of one year (ERP push)"),
        description=_(
            "Idempotent, for ERP pushes: sending the same body twice leaves one row. "
            "Field ownership: revenue, contribution margin and actuals_as_of belong to the "
            "ERP and are replaced (left out: 0, and today for actuals_as_of); targets and "
            "potential belong to the key account manager and change only when they are "
            "sent, so a push never wipes them."
        ),
        responses={
            200: OpenApiResponse(FiguresSerializer, _("The year was replaced.")),
            201: OpenApiResponse(FiguresSerializer, _("The year was created.")),
        },
    )
    def put(self, request: Request, pk: int, year: int) -> Response:
        account = self.get_account()
        serializer = FiguresSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        figures, created = services.figures_put(
            actor=actor(request), account=account, year=year, **serializer.service_fields()
        )
        return Response(
            self.get_serializer(figures).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )

    @extend_schema(
        summary=_("Change some values of one year"),
        description=_("Only the values sent change; 404 when the year has no figures."),
    )
    def patch(self, request: Request, pk: int, year: int) -> Response:
        account = self.get_account()
        figures = account.figures.filter(year=year).first()
        if figures is None:
            raise Http404
        serializer = FiguresSerializer(
            figures, data=request.data, partial=True, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        figures = services.figures_patch(
            actor=actor(request), figures=figures, **serializer.service_fields()
        )
        return Response(self.get_serializer(figures).data)

    @extend_schema(summary=_("Delete one year of figures"), responses={204: None})
    def delete(self, request: Request, pk: int, year: int) -> Response:
        if not services.figures_delete(actor=actor(request), account=self.get_account(), year=year):
            raise Http404
        return Response(status=status.HTTP_204_NO_CONTENT)


def contact_queryset(user) -> QuerySet[Contact]:
    return selectors.contact_list(user)


@extend_schema_view(
    get=extend_schema(summary=_("List contacts")),
    post=extend_schema(
        summary=_("Add a contact to an account"),
        parameters=[ALLOW_DUPLICATE],
        responses={201: ContactSerializer, 409: DUPLICATE_RESPONSE},
    ),
)
class ContactList(ExportListMixin, generics.ListCreateAPIView):
    serializer_class = ContactSerializer
    pagination_class = KeysetOrPageNumberPagination
    filter_backends = FILTERS
    filterset_class = ContactFilter
    export = CONTACTS

    def get_queryset(self) -> QuerySet[Contact]:
        return contact_queryset(self.request.user).order_by("last_name", "first_name", "pk")

    def create(self, request: Request, *args, **kwargs) -> Response:
        serializer = ContactSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        fields = serializer.service_fields()
        account = serializer.validated_data["account"]
        if not allow_duplicate(request):
            candidates = duplicates.contact_candidates(
                user=actor(request),
                account=account,
                first_name=fields.get("first_name", ""),
                last_name=fields.get("last_name", ""),
                email=fields.get("email", ""),
                external_id=fields.get("external_id"),
            )
            if candidates:
                return duplicates_response(request, candidates)
        contact = services.contact_create(actor=actor(request), account=account, **fields)
        return Response(self.get_serializer(contact).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    get=extend_schema(summary=_("A contact")),
    put=extend_schema(summary=_("Change a contact")),
    patch=extend_schema(
        summary=_("Change some fields of a contact"),
        description=_("People who leave are not deleted: send is_active false and left_on."),
    ),
)
class ContactDetail(generics.RetrieveUpdateAPIView):
    """No DELETE: a contact who leaves keeps their record and history (405)."""

    serializer_class = ContactSerializer
    permission_classes = [permissions.IsAuthenticated, CanEditAccount]

    def get_queryset(self) -> QuerySet[Contact]:
        return contact_queryset(self.request.user)

    def update(self, request: Request, *args, **kwargs) -> Response:
        contact = self.get_object()
        serializer = ContactSerializer(
            contact,
            data=request.data,
            partial=kwargs.get("partial", False),
            context=self.get_serializer_context(),
        )
        serializer.is_valid(raise_exception=True)
        contact = services.contact_update(
            actor=actor(request),
            contact=contact,
            account=serializer.validated_data.get("account", UNSET),
            **serializer.service_fields(),
        )
        return Response(self.get_serializer(contact).data)


class ContactEraseSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=1000, help_text=_("Why the person is erased (do not name them).")
    )


class ContactPersonalData(APIView):
    """Everything stored about the person (GDPR right of access), for users who see the
    contact: the same sections as the page."""

    @extend_schema(
        summary=_("Everything stored about a contact (GDPR)"),
        responses={
            200: OpenApiResponse(description=_("Sections by key: profile, records, history."))
        },
    )
    def get(self, request: Request, pk: int) -> Response:
        contact = get_contact_for(actor(request), pk)
        return Response(
            gdpr.as_json(gdpr.personal_data(contact=contact, user=actor(request)), contact=contact)
        )


class ContactErase(APIView):
    """Erase the person and keep the statistics (administrators and heads of sales)."""

    @extend_schema(
        summary=_("Erase a contact's personal data (GDPR)"),
        request=ContactEraseSerializer,
        responses={200: ContactSerializer},
    )
    def post(self, request: Request, pk: int) -> Response:
        contact = get_contact_for(actor(request), pk)
        if not gdpr.may_erase(actor(request)):
            raise PermissionDenied(_("Only administrators and heads of sales may erase a person."))
        serializer = ContactEraseSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        contact = gdpr.contact_erase(
            actor=actor(request), contact=contact, reason=serializer.validated_data["reason"]
        )
        return Response(ContactSerializer(contact, context={"request": request}).data)
