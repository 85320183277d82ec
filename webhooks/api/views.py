"""Webhook endpoints under /api/v1/webhooks/: administrators only (everyone else 404),
through the same services as the page."""

from django.db.models import Prefetch
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from kam.http import actor
from webhooks import services
from webhooks.api.serializers import (
    EndpointSerializer,
    EndpointWithSecretSerializer,
    MessageSerializer,
)
from webhooks.models import Attempt, Endpoint, Message


class _AdminOnly:
    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if not services.may_manage(actor(request)):
            raise Http404


class EndpointList(_AdminOnly, generics.ListCreateAPIView):
    serializer_class = EndpointSerializer
    queryset = Endpoint.objects.order_by("pk")

    @extend_schema(request=EndpointSerializer, responses={201: EndpointWithSecretSerializer})
    def post(self, request: Request, *args, **kwargs) -> Response:
        serializer = EndpointSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        endpoint, secret = services.endpoint_create(
            actor=actor(request), **serializer.service_fields()
        )
        data = EndpointWithSecretSerializer(endpoint).data | {"secret": secret}
        return Response(data, status=status.HTTP_201_CREATED)


class EndpointDetail(_AdminOnly, generics.RetrieveUpdateDestroyAPIView):
    serializer_class = EndpointSerializer
    queryset = Endpoint.objects.all()
    http_method_names = ["get", "patch", "delete", "head", "options"]

    def perform_update(self, serializer: EndpointSerializer) -> None:  # type: ignore[override]
        assert serializer.instance is not None
        serializer.instance = services.endpoint_update(
            actor=actor(self.request), endpoint=serializer.instance, **serializer.service_fields()
        )

    def perform_destroy(self, instance) -> None:
        services.endpoint_delete(actor=actor(self.request), endpoint=instance)


class EndpointRotateSecret(_AdminOnly, APIView):
    @extend_schema(request=None, responses={200: EndpointWithSecretSerializer})
    def post(self, request: Request, pk: int) -> Response:
        endpoint = services.endpoint_for(actor(request), pk)
        secret = services.endpoint_rotate_secret(actor=actor(request), endpoint=endpoint)
        return Response(EndpointWithSecretSerializer(endpoint).data | {"secret": secret})


class MessageList(_AdminOnly, generics.ListAPIView):
    """The delivery log of one endpoint, newest first, with every attempt."""

    serializer_class = MessageSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator
            return Message.objects.none()
        endpoint = services.endpoint_for(self.request.user, self.kwargs["pk"])
        return (
            Message.objects.filter(endpoint=endpoint)
            .order_by("-pk")
            .prefetch_related(Prefetch("attempt_log", Attempt.objects.order_by("pk")))
        )


class MessageRedeliver(_AdminOnly, APIView):
    @extend_schema(request=None, responses={202: MessageSerializer})
    def post(self, request: Request, pk: int, message_pk: int) -> Response:
        endpoint = services.endpoint_for(actor(request), pk)
        message = Message.objects.filter(endpoint=endpoint, pk=message_pk).first()
        if message is None:
            raise Http404
        services.message_redeliver(actor=actor(request), message=message)
        return Response(MessageSerializer(message).data, status=status.HTTP_202_ACCEPTED)
