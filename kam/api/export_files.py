"""`/api/v1/exports/<id>/`: a large XLSX export that a list endpoint answered with 202,
followed by the client that asked for it with the same credentials as the list (an API
token or a session): its state, then the file. Anybody else's export is a 404."""

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from kam.export import CONTENT_TYPES, XLSX
from kam.http import actor
from kam.models import ExportFile
from kam.uploads import attachment_response


def export_file_of(request: Request, pk: int) -> ExportFile:
    job = ExportFile.objects.filter(user=actor(request), pk=pk).first()
    if job is None:
        raise Http404
    return job


class ExportFileSerializer(serializers.ModelSerializer[ExportFile]):
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    download = serializers.SerializerMethodField(
        help_text=_("The address of the file once it is ready, else null.")
    )

    class Meta:
        model = ExportFile
        fields = ["id", "status", "status_label", "rows", "created_at", "finished_at", "download"]
        read_only_fields = fields

    def get_download(self, job: ExportFile) -> str | None:
        if job.status != ExportFile.Status.DONE:
            return None
        return reverse("api-export-file-download", args=[job.pk], request=self.context["request"])


class ExportFileState(APIView):
    @extend_schema(summary=_("The state of a large export"), responses=ExportFileSerializer)
    def get(self, request: Request, pk: int) -> Response:
        job = export_file_of(request, pk)
        return Response(ExportFileSerializer(job, context={"request": request}).data)


class ExportFileDownload(APIView):
    def perform_content_negotiation(self, request, force=False):
        # The answer is the file, whatever the client's Accept header asks for.
        return super().perform_content_negotiation(request, force=True)

    @extend_schema(
        summary=_("Download a large export"),
        responses={
            (200, CONTENT_TYPES[XLSX]): OpenApiResponse(
                OpenApiTypes.BINARY, _("The XLSX file, as an attachment.")
            )
        },
    )
    def get(self, request: Request, pk: int):
        job = export_file_of(request, pk)
        if job.status != ExportFile.Status.DONE:
            raise Http404
        answer = attachment_response(
            job.file, filename=job.file_name, content_type=CONTENT_TYPES[XLSX]
        )
        answer["Cache-Control"] = "no-store"
        return answer
