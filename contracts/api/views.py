"""REST API for contracts and their documents.

Reads start from the access scope (outside it: 404, also for downloads); writes go
through contracts.services. Serializers only parse and shape.
"""

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import generics, permissions, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.api.permissions import CanEditAccount
from contracts import selectors, services
from contracts.api.serializers import (
    ContractSerializer,
    ContractUpdateSerializer,
    DocumentSerializer,
    DocumentUploadSerializer,
)
from contracts.exports import CONTRACTS
from contracts.filters import ContractFilter
from contracts.models import Contract
from kam.api.export import ExportListMixin
from kam.api.filters import FILTERS
from kam.api.pagination import KeysetOrPageNumberPagination
from kam.concurrency import VersionedAPIMixin
from kam.http import actor
from kam.uploads import KINDS, attachment_response


def _fresh(request: Request, contract: Contract) -> Contract:
    """Read back through the scope, with the computed dates annotated."""
    return selectors.contract_list(actor(request)).get(pk=contract.pk)


@extend_schema_view(
    get=extend_schema(
        summary=_("List contracts"),
        description=_(
            "Filters: account, kind, status, notice_within (days: the notice deadline falls "
            "between today and that many days from now), q; ordering: number, title, "
            "account, start, end, notice_deadline, value, status (prefix - to reverse)."
        ),
    ),
    post=extend_schema(summary=_("Create a contract")),
)
class ContractList(ExportListMixin, generics.ListCreateAPIView):
    serializer_class = ContractSerializer
    pagination_class = KeysetOrPageNumberPagination
    filter_backends = FILTERS
    filterset_class = ContractFilter
    export = CONTRACTS

    def get_queryset(self) -> QuerySet[Contract]:
        if getattr(self, "swagger_fake_view", False):  # the schema needs no stale-date check
            return Contract.objects.none()
        return selectors.contract_list(self.request.user).order_by("account__name", "number", "pk")

    def create(self, request: Request, *args, **kwargs) -> Response:
        serializer = ContractSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        contract = services.contract_create(
            actor=actor(request),
            account=serializer.validated_data["account"],
            **serializer.service_fields(),
        )
        data = self.get_serializer(_fresh(request, contract)).data
        return Response(data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    get=extend_schema(summary=_("A contract with its computed dates")),
    put=extend_schema(summary=_("Change a contract"), request=ContractUpdateSerializer),
    patch=extend_schema(
        summary=_("Change some fields of a contract"), request=ContractUpdateSerializer
    ),
)
class ContractDetail(VersionedAPIMixin, generics.RetrieveUpdateAPIView):
    serializer_class = ContractSerializer
    permission_classes = [permissions.IsAuthenticated, CanEditAccount]

    def get_queryset(self) -> QuerySet[Contract]:
        if getattr(self, "swagger_fake_view", False):  # the schema needs no stale-date check
            return Contract.objects.none()
        return selectors.contract_list(self.request.user)

    def update(self, request: Request, *args, **kwargs) -> Response:
        contract = self.get_object()
        serializer = ContractUpdateSerializer(
            contract,
            data=request.data,
            partial=kwargs.get("partial", False),
            context=self.get_serializer_context(),
        )
        serializer.is_valid(raise_exception=True)
        contract = services.contract_update(
            actor=actor(request), contract=contract, **serializer.service_fields()
        )
        return Response(self.get_serializer(_fresh(request, contract)).data)


class ContractChildView(generics.GenericAPIView):
    """Documents hang off a contract: fetched through the scope (404), changed only by
    users who may change the account (403). A contract has a handful of documents, so
    the list is not paginated."""

    permission_classes = [permissions.IsAuthenticated, CanEditAccount]
    pagination_class = None
    filter_backends = []
    serializer_class = DocumentSerializer

    def get_contract(self) -> Contract:
        contract = selectors.get_contract_for(actor(self.request), self.kwargs["pk"])
        self.check_object_permissions(self.request, contract)
        return contract


class DocumentList(ContractChildView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(summary=_("The contract's documents"), responses=DocumentSerializer(many=True))
    def get(self, request: Request, pk: int) -> Response:
        documents = selectors.documents_of(self.get_contract())
        return Response(DocumentSerializer(documents, many=True).data)

    @extend_schema(
        summary=_("Upload a document (multipart/form-data, field “file”)"),
        description=_(
            "PDF or Office files only, checked by their content; at most UPLOAD_MAX_BYTES "
            "(10 MB by default). A rejected file is not stored."
        ),
        request={"multipart/form-data": DocumentUploadSerializer},
        responses={201: DocumentSerializer},
    )
    def post(self, request: Request, pk: int) -> Response:
        contract = self.get_contract()
        serializer = DocumentUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        document = services.document_add(
            actor=actor(request), contract=contract, uploaded_file=serializer.validated_data["file"]
        )
        return Response(DocumentSerializer(document).data, status=status.HTTP_201_CREATED)


class DocumentDetail(ContractChildView):
    @extend_schema(summary=_("Delete a document"), responses={204: None})
    def delete(self, request: Request, pk: int, document_id: int) -> Response:
        document = selectors.get_document_for(actor(request), pk, document_id)
        self.check_object_permissions(request, document.contract)
        services.document_delete(actor=actor(request), document=document)
        return Response(status=status.HTTP_204_NO_CONTENT)


class DocumentDownload(ContractChildView):
    def perform_content_negotiation(self, request, force=False):
        # The answer is the file, whatever the client's Accept header asks for.
        return super().perform_content_negotiation(request, force=True)

    @extend_schema(
        summary=_("Download a document"),
        # The type the file was stored as: one of the upload types, or octet-stream.
        responses={
            (200, content_type): OpenApiResponse(
                OpenApiTypes.BINARY, _("The file, as an attachment.")
            )
            for content_type in sorted(
                {kind[1] for kind in KINDS.values()} | {"application/octet-stream"}
            )
        },
    )
    def get(self, request: Request, pk: int, document_id: int):
        document = selectors.get_document_for(actor(request), pk, document_id)
        return attachment_response(
            document.file, filename=document.original_name, content_type=document.content_type
        )
