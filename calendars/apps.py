from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CalendarsConfig(AppConfig):
    name = "calendars"
    verbose_name = _("Calendar")

    def ready(self) -> None:
        from calendars import feed, services
        from kam import events, versioned_cache
        from users import profile_sections

        # The feed reads activities, follow-ups, plan actions, contracts and reviews, who
        # sees which account, and the users' names: any of them changed, a new version.
        versioned_cache.rest_on(
            feed.VERSION,
            events.AccountChanged,
            events.AccountMoved,
            events.AccountDeleted,
            events.TeamChanged,
            events.UserChanged,
            events.ActivityLogged,
            events.FollowUpChanged,
            events.ContractCreated,
            events.ContractChanged,
            events.ObjectiveChanged,
            events.ActionChanged,
            events.ReviewChanged,
        )
        profile_sections.register(
            profile_sections.ProfileSection(
                key="calendar",
                fetch=services.profile_section,
                template="calendars/profile_section.html",
            )
        )
