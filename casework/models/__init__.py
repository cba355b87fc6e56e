from .cases import Case, CaseQuestion, CaseTheme, Feedback
from .files import Attachment
from .guests import CaseGuest
from .lessons import Lesson

__all__ = ["Attachment", "Case", "CaseGuest", "CaseQuestion", "CaseTheme", "Feedback", "Lesson"]
