"""Mail backends that fail on purpose, to test what a crash halfway leaves behind."""

from django.core.mail.backends.locmem import EmailBackend


class AlwaysFailing(EmailBackend):
    def send_messages(self, messages):
        raise ConnectionRefusedError("mail server down")


class FailsFor(EmailBackend):
    """Fails for one address (set `fail_for`), delivers the rest to mail.outbox."""

    fail_for: set[str] = set()
    error: type[BaseException] = ConnectionRefusedError

    def send_messages(self, messages):
        for message in messages:
            if set(message.to) & self.fail_for:
                raise self.error("mail server hung up")
        return super().send_messages(messages)
