"""A request for support being put together, kept in the session until it is
sent. Only what the practitioner typed or chose lives here; nothing is saved
to the case record until `episodes.services.request_support` runs."""

from datetime import date

from django.utils import timezone

from people.models import Relationship

SESSION_KEY = "request_draft"


class RequestDraft:
    def __init__(self, session):
        self.session = session
        self.data = session.get(SESSION_KEY) or {"members": [], "searches": []}

    def save(self):
        self.session[SESSION_KEY] = self.data
        self.session.modified = True

    def clear(self):
        self.session.pop(SESSION_KEY, None)

    # The search must come before a new person is added (no family assessed twice).
    def record_search(self, terms):
        self.data["searches"].append(
            {
                key: (value.isoformat() if isinstance(value, date) else value)
                for key, value in terms.items()
            }
        )
        self.save()

    @property
    def last_search(self):
        return self.data["searches"][-1] if self.data["searches"] else None

    def new_person_initial(self, today=None):
        """ "Add a person" starts from what was searched for, so nothing is typed
        twice: the names, and the date as a date of birth or, if it is still to
        come, as the expected date of an unborn child."""
        search = self.last_search or {}
        initial = {"first_name": search.get("first_name"), "last_name": search.get("last_name")}
        typed = search.get("date_of_birth")
        if typed:
            born = date.fromisoformat(typed)
            today = today or timezone.localdate()
            if born <= today:
                initial["date_of_birth"] = born
            else:
                initial.update(expected_date_of_birth=born, relationship=Relationship.UNBORN)
        return initial

    @property
    def members(self):
        return self.data["members"]

    def add_existing(self, person, relationship):
        if any(m.get("person_id") == person.pk for m in self.members):
            return
        self.members.append(
            {"person_id": person.pk, "relationship": relationship, "name": person.full_name}
        )
        self.save()

    def add_new(self, details, relationship):
        stored = {k: (v.isoformat() if isinstance(v, date) else v) for k, v in details.items()}
        self.members.append(
            {
                "details": stored,
                "relationship": relationship,
                "name": f"{details['first_name']} {details['last_name']}",
            }
        )
        self.save()

    def remove(self, index):
        if 0 <= index < len(self.members):
            del self.members[index]
            self.save()

    def set_family(self, family_id):
        self.data["family_id"] = family_id
        self.save()

    @property
    def family_id(self):
        return self.data.get("family_id")

    def set_details(self, details):
        self.data["details"] = details
        self.save()

    @property
    def details(self):
        return self.data.get("details")

    def new_person_details(self, member):
        details = dict(member["details"])
        for key in ("date_of_birth", "expected_date_of_birth"):
            if details.get(key):
                details[key] = date.fromisoformat(details[key])
        return details
