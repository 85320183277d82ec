"""REST API for annual reviews, their parts and the presentation folder.

Reads start from the access scope (outside it: 404, also for downloads); writes go through
reviews.services, exactly as the pages do.
"""

import django_filters
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, generics, permissions, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.access import get_editable_or_404
from accounts.api.permissions import CanEditAccount
from kam import queue
from kam.api.export import ExportListMixin
from kam.api.filters import FILTERS
from kam.api.schema import ErrorSerializer
from kam.concurrency import VersionedAPIMixin, check_if_match
from kam.filters import IdFilter, YearFilter
from kam.http import actor
from kam.uploads import attachment_response
from reviews import selectors, services
from reviews.api.serializers import (
    AgendaItemSerializer,
    AgreementSerializer,
    CustomerChoicesSerializer,
    CustomerItemSerializer,
    MarketFigureSerializer,
    ProjectSerializer,
    RenderSerializer,
    ReviewDetailSerializer,
    ReviewSerializer,
    ReviewUpdateSerializer,
    SectionSerializer,
    TopicSerializer,
    VersionSerializer,
)
from reviews.exports import REVIEWS
from reviews.models import AnnualReview, FolderVersion, Section


class ReviewFilter(django_filters.FilterSet):
    account = IdFilter(field_name="account_id")
    year = YearFilter()
    status = django_filters.ChoiceFilter(choices=AnnualReview.Status.choices)

    class Meta:
        model = AnnualReview
        fields = ["account", "year", "status"]


def _review(request: Request, pk: int) -> AnnualReview:
    return selectors.get_review_for(actor(request), pk)


def _editable_review(request: Request, pk: int) -> AnnualReview:
    return get_editable_or_404(actor(request), selectors.reviews(), pk)


def _detail(request: Request, pk: int) -> dict:
    review = selectors.review_workspace(actor(request), pk)
    return ReviewDetailSerializer(review, context={"request": request}).data


@extend_schema_view(
    get=extend_schema(summary=_("List annual reviews (filters: account, year, status)")),
    post=extend_schema(summary=_("Create an annual review, filled from the account's data")),
)
class ReviewList(ExportListMixin, generics.ListCreateAPIView):
    serializer_class = ReviewSerializer
    filter_backends = FILTERS
    filterset_class = ReviewFilter
    export = REVIEWS

    def get_queryset(self) -> QuerySet[AnnualReview]:
        return (
            selectors.review_list(self.request.user)
            .prefetch_related("our_participants", "customer_participants")
            .order_by("-year", "account__name", "pk")
        )

    def create(self, request: Request, *args, **kwargs) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        review = services.review_create(
            actor=actor(request),
            account=data["account"],
            year=data["year"],
            meeting_on=data.get("meeting_on"),
            place=data.get("place", ""),
            language=data.get("language", ""),
            backdate_reason=data.get("backdate_reason", ""),
            our_participants=data.get("our_participants", ()),
            customer_participants=data.get("customer_participants", ()),
        )
        return Response(_detail(request, review.pk), status=status.HTTP_201_CREATED)


@extend_schema_view(
    get=extend_schema(summary=_("A review with its sections, agenda, topics and versions")),
    put=extend_schema(summary=_("Change a review"), request=ReviewUpdateSerializer),
    patch=extend_schema(
        summary=_("Change some fields of a review"), request=ReviewUpdateSerializer
    ),
    delete=extend_schema(summary=_("Delete a review with its folder versions and their PDFs")),
)
class ReviewDetail(VersionedAPIMixin, generics.RetrieveUpdateDestroyAPIView):
    serializer_class = ReviewDetailSerializer
    permission_classes = [permissions.IsAuthenticated, CanEditAccount]

    def get_queryset(self) -> QuerySet[AnnualReview]:
        return selectors.review_list(self.request.user)

    def retrieve(self, request: Request, *args, **kwargs) -> Response:
        return Response(_detail(request, kwargs["pk"]))

    def update(self, request: Request, *args, **kwargs) -> Response:
        review = self.get_object()
        serializer = ReviewUpdateSerializer(
            review, data=request.data, partial=kwargs.get("partial", False),
            context={"request": request},
        )  # fmt: skip
        serializer.is_valid(raise_exception=True)
        services.review_update(actor=actor(request), review=review, **serializer.service_fields())
        return Response(_detail(request, review.pk))

    def destroy(self, request: Request, *args, **kwargs) -> Response:
        services.review_delete(actor=actor(request), review=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


class SectionDetail(VersionedAPIMixin, APIView):
    @extend_schema(summary=_("One section of a review"), responses=SectionSerializer)
    def get(self, request: Request, pk: int, kind: str) -> Response:
        section = _review(request, pk).sections.filter(kind=kind).first()
        if section is None:
            raise Http404
        return Response(SectionSerializer(section).data)

    @extend_schema(summary=_("Change a section's text"), request=SectionSerializer,
                   responses=SectionSerializer)  # fmt: skip
    def patch(self, request: Request, pk: int, kind: str) -> Response:
        review = _editable_review(request, pk)
        section = review.sections.filter(kind=kind).first()
        if section is None:
            raise Http404
        check_if_match(request, section)
        serializer = SectionSerializer(section, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        section = services.section_update(
            actor=actor(request), section=section, text=serializer.validated_data.get("text", "")
        )
        return Response(SectionSerializer(section).data)


class SectionRefresh(APIView):
    @extend_schema(summary=_("Refresh a section from live data"), request=None,
                   responses=SectionSerializer)  # fmt: skip
    def post(self, request: Request, pk: int, kind: str) -> Response:
        review = _editable_review(request, pk)
        section = review.sections.filter(kind=kind).first()
        if section is None or kind not in (*services.REFRESHABLE, Section.Kind.AGENDA):
            raise Http404
        section = services.section_refresh(actor=actor(request), section=section)
        return Response(SectionSerializer(section).data)


class SectionCustomerItems(APIView):
    """The items of a section's live data, each shown to the customer or not."""

    @extend_schema(summary=_("What the customer's folder shows of a section"),
                   responses=CustomerItemSerializer(many=True))  # fmt: skip
    def get(self, request: Request, pk: int, kind: str) -> Response:
        section = _review(request, pk).sections.filter(kind=kind).first()
        if section is None:
            raise Http404
        items = selectors.section_items(section)
        return Response(CustomerItemSerializer(items, many=True).data)

    @extend_schema(summary=_("Show or hide items of a section in the customer's folder"),
                   request=CustomerChoicesSerializer,
                   responses=CustomerItemSerializer(many=True))  # fmt: skip
    def patch(self, request: Request, pk: int, kind: str) -> Response:
        review = _editable_review(request, pk)
        section = review.sections.filter(kind=kind).first()
        if section is None:
            raise Http404
        serializer = CustomerChoicesSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        section = services.customer_choices_set(
            actor=actor(request),
            section=section,
            choices=serializer.validated_data.get("shown"),
            show_all=serializer.validated_data.get("all"),
        )
        items = selectors.section_items(section)
        return Response(CustomerItemSerializer(items, many=True).data)


class _NestedList(generics.ListCreateAPIView):
    """GET the rows of one part of a review, POST a new one through its service."""

    related_name = ""
    pagination_class = None
    filter_backends = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no review
            return self.serializer_class.Meta.model.objects.none()
        return getattr(_review(self.request, self.kwargs["pk"]), self.related_name).all()

    def create(self, request: Request, pk: int) -> Response:
        review = _editable_review(request, pk)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        row = self.save(review, dict(serializer.validated_data))
        return Response(self.get_serializer(row).data, status=status.HTTP_201_CREATED)

    def save(self, review: AnnualReview, data: dict):
        raise NotImplementedError


class _NestedDetail(generics.GenericAPIView):
    """GET one row, PATCH it through its service (the fields left out keep their values),
    DELETE it."""

    related_name = ""

    def _row(self, request: Request, pk: int, item_id: int):
        review = _review(request, pk)
        row = getattr(review, self.related_name).filter(pk=item_id).first()
        if row is None:
            raise Http404
        row.review = review
        return row

    def get(self, request: Request, pk: int, item_id: int) -> Response:
        return Response(self.get_serializer(self._row(request, pk, item_id)).data)

    def patch(self, request: Request, pk: int, item_id: int) -> Response:
        review = _editable_review(request, pk)
        row = self._row(request, pk, item_id)
        serializer = self.get_serializer(row, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        current = {name: getattr(row, name) for name in self.editable}
        row = self.change(review, row, {**current, **serializer.validated_data})
        return Response(self.get_serializer(row).data)

    def delete(self, request: Request, pk: int, item_id: int) -> Response:
        _editable_review(request, pk)
        services.item_delete(actor=actor(request), item=self._row(request, pk, item_id))
        return Response(status=status.HTTP_204_NO_CONTENT)

    editable: tuple[str, ...] = ()

    def change(self, review: AnnualReview, row, data: dict):
        raise NotImplementedError


@extend_schema_view(get=extend_schema(summary=_("Agenda items")),
                    post=extend_schema(summary=_("Add an agenda item")))  # fmt: skip
class AgendaList(_NestedList):
    serializer_class = AgendaItemSerializer
    related_name = "agenda"

    def save(self, review, data):
        return services.agenda_item_save(
            actor=actor(self.request), review=review, title=data.get("title", ""),
            duration_minutes=data.get("duration_minutes", 15),
            presenter=data.get("presenter", ""),
        )  # fmt: skip


@extend_schema_view(patch=extend_schema(summary=_("Change an agenda item")))
class AgendaDetail(_NestedDetail):
    serializer_class = AgendaItemSerializer
    related_name = "agenda"
    editable = ("title", "duration_minutes", "presenter")

    def change(self, review, row, data):
        return services.agenda_item_save(actor=actor(self.request), review=review, item=row, **data)


@extend_schema_view(get=extend_schema(summary=_("Topic plan")),
                    post=extend_schema(summary=_("Add a topic")))  # fmt: skip
class TopicList(_NestedList):
    serializer_class = TopicSerializer
    related_name = "topics"

    def save(self, review, data):
        return services.topic_save(
            actor=actor(self.request), review=review, title=data.get("title", ""),
            goal=data.get("goal", ""), owner=data.get("owner"),
            customer_side=data.get("customer_side", ""),
            renegotiate=data.get("renegotiate", False),
        )  # fmt: skip


@extend_schema_view(patch=extend_schema(summary=_("Change a topic")))
class TopicDetail(_NestedDetail):
    serializer_class = TopicSerializer
    related_name = "topics"
    editable = ("title", "goal", "owner", "customer_side", "renegotiate")

    def change(self, review, row, data):
        return services.topic_save(actor=actor(self.request), review=review, topic=row, **data)


@extend_schema_view(get=extend_schema(summary=_("Market data")),
                    post=extend_schema(summary=_("Add a row of market data")))  # fmt: skip
class MarketList(_NestedList):
    serializer_class = MarketFigureSerializer
    related_name = "market_data"

    def save(self, review, data):
        return services.market_figure_save(
            actor=actor(self.request), review=review, topic=data.get("topic", ""),
            figure=data.get("figure", ""), source=data.get("source", ""),
            year=data.get("year"),
        )  # fmt: skip


@extend_schema_view(patch=extend_schema(summary=_("Change a row of market data")))
class MarketDetail(_NestedDetail):
    serializer_class = MarketFigureSerializer
    related_name = "market_data"
    editable = ("topic", "figure", "source", "year")

    def change(self, review, row, data):
        return services.market_figure_save(
            actor=actor(self.request), review=review, row=row, **data
        )


@extend_schema_view(get=extend_schema(summary=_("Next year's joint projects")),
                    post=extend_schema(summary=_("Add a joint project")))  # fmt: skip
class ProjectList(_NestedList):
    serializer_class = ProjectSerializer
    related_name = "projects"

    def save(self, review, data):
        return services.project_save(
            actor=actor(self.request), review=review, area=data.get("area", ""),
            title=data.get("title", ""), goal=data.get("goal", ""),
            target=data.get("target", ""),
        )  # fmt: skip


@extend_schema_view(patch=extend_schema(summary=_("Change a joint project")))
class ProjectDetail(_NestedDetail):
    serializer_class = ProjectSerializer
    related_name = "projects"
    editable = ("area", "title", "goal", "target")

    def change(self, review, row, data):
        return services.project_save(actor=actor(self.request), review=review, project=row, **data)


@extend_schema_view(patch=extend_schema(summary=_("Change an agreement (and its follow-up)")))
class AgreementDetail(_NestedDetail):
    serializer_class = AgreementSerializer
    related_name = "agreements"
    editable = ("text", "owner", "due_on")

    def change(self, review, row, data):
        return services.agreement_update(actor=actor(self.request), agreement=row, **data)

    def delete(self, request: Request, pk: int, item_id: int) -> Response:
        _editable_review(request, pk)
        agreement = self._row(request, pk, item_id)
        services.agreement_delete(actor=actor(request), agreement=agreement)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(
    get=extend_schema(summary=_("Agreements of the meeting")),
    post=extend_schema(summary=_("Add an agreement (a follow-up with owner and due date)")),
)
class AgreementList(_NestedList):
    serializer_class = AgreementSerializer
    related_name = "agreements"

    def save(self, review, data):
        return services.agreement_add(
            actor=actor(self.request), review=review, text=data.get("text", ""),
            owner=data.get("owner"), due_on=data.get("due_on"),
        )  # fmt: skip


class FollowUp(APIView):
    @extend_schema(summary=_("Follow up: joint projects become next year's objectives"),
                   request=None, responses=OpenApiTypes.OBJECT)  # fmt: skip
    def post(self, request: Request, pk: int) -> Response:
        review = _editable_review(request, pk)
        created = services.review_follow_up(actor=actor(request), review=review)
        return Response({"objectives_created": created})


class Render(APIView):
    @extend_schema(
        summary=_("Render the presentation folder"),
        description=_(
            "Answers 202 with the new version to poll; while a render of this review runs, "
            "that version is answered (200) and no second render starts."
        ),
        request=RenderSerializer,
        responses={
            202: VersionSerializer,
            200: VersionSerializer,
            503: OpenApiResponse(
                ErrorSerializer,
                description=_(
                    "The task queue cannot be reached: the version is recorded and renders "
                    "once the queue is back (asking again answers it with 200)."
                ),
            ),
        },
    )
    def post(self, request: Request, pk: int) -> Response:
        review = _review(request, pk)
        serializer = RenderSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        version, new = services.folder_request(
            actor=actor(request), review=review, internal=serializer.validated_data["internal"]
        )
        if version.queue_refused:
            return Response(
                {"detail": str(queue.QUEUE_UNAVAILABLE), "code": "queue_unavailable"},
                status=status.HTTP_503_SERVICE_UNAVAILABLE,
                headers={"Retry-After": "60"},
            )
        version.refresh_from_db()
        return Response(
            VersionSerializer(version).data,
            status=status.HTTP_202_ACCEPTED if new else status.HTTP_200_OK,
        )


class VersionBusy(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "still_rendering"


@extend_schema_view(get=extend_schema(summary=_("Folder versions, newest first")))
class VersionList(generics.ListAPIView):
    serializer_class = VersionSerializer
    pagination_class = None

    def get_queryset(self) -> QuerySet[FolderVersion]:
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no review
            return FolderVersion.objects.none()
        return _review(self.request, self.kwargs["pk"]).versions.order_by("-number")


@extend_schema_view(
    get=extend_schema(summary=_("One folder version")),
    delete=extend_schema(
        summary=_("Delete a folder version and its PDF (not while it renders)"),
        responses={
            204: None,
            409: OpenApiResponse(
                ErrorSerializer,
                description=_(
                    "The version is still being rendered: delete it once it is done or "
                    "failed. Or: a request with this Idempotency-Key is still running."
                ),
            ),
        },
    ),
)
class VersionDetail(generics.RetrieveDestroyAPIView):
    serializer_class = VersionSerializer
    lookup_url_kwarg = "version_id"

    def get_queryset(self) -> QuerySet[FolderVersion]:
        if getattr(self, "swagger_fake_view", False):
            return FolderVersion.objects.none()
        return _review(self.request, self.kwargs["pk"]).versions.all()

    def destroy(self, request: Request, *args, **kwargs) -> Response:
        review = _editable_review(request, kwargs["pk"])
        version = self.get_object()
        version.review = review
        if version.is_running:
            # Not a bad request: the same DELETE succeeds once the render has ended.
            raise VersionBusy(
                _(
                    "Version %(number)s is still being rendered; delete it once it is done "
                    "or failed."
                )
                % {"number": version.number}
            )
        services.version_delete(actor=actor(request), version=version)
        return Response(status=status.HTTP_204_NO_CONTENT)


class VersionDownload(APIView):
    @extend_schema(
        summary=_("Download a folder version (PDF, as an attachment)"),
        responses={(200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY)},
    )
    def get(self, request: Request, pk: int, version_id: int):
        review = _review(request, pk)
        version = review.versions.filter(pk=version_id, status=FolderVersion.Status.DONE).first()
        if version is None:
            raise Http404
        version.review = review
        return attachment_response(
            version.file, filename=version.download_name(), content_type="application/pdf"
        )
