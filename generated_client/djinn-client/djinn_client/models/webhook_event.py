from enum import StrEnum


class WebhookEvent(StrEnum):
    BUILD_FINISHED = "build.finished"
    BUILD_PINNED = "build.pinned"
    BUILD_STARTED = "build.started"
    BUILD_SUBMITTED = "build.submitted"
    BUILD_TAGGED = "build.tagged"
    BUILD_UNPINNED = "build.unpinned"
    CRON = "cron"
    IMAGES = "images"
    INVITE_ACCEPTED = "invite.accepted"
    INVITE_REJECTED = "invite.rejected"
    INVITE_SENT = "invite.sent"
    NAMESPACES = "namespaces"
    OBJECTS = "objects"
    SSH_KEYS = "ssh_keys"
    VARIABLES = "variables"

    def __str__(self) -> str:
        return str(self.value)
