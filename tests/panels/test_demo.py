from accounts.models import User
from core import policy
from core.demo import COUNCILS, load_demo_data
from panels.models import Panel


def test_each_demo_council_has_an_open_panel_the_health_visitor_sits_on(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    load_demo_data()

    for council in COUNCILS:
        visitor = User.objects.get(email=f"health-visitor@{council['slug']}.example")
        (panel,) = policy.panels_sat_on(visitor)
        (item,) = panel.agenda_items.select_related("episode", "referral")
        assert (panel.local_authority.slug, panel.is_open, item.referral.kind) == (
            council["slug"],
            True,
            "panel",
        )
        # The panel is why she can read the case: she does no work on it.
        assert policy.episodes_visible_to(visitor).filter(pk=item.episode_id).exists()
        assert not policy.can_work_on_episode(visitor, item.episode)
    assert Panel.objects.count() == len(COUNCILS)
