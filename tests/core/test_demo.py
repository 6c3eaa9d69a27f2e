from core.demo import COUNCILS


def test_the_demo_councils_have_a_mash_number_from_the_drama_range():
    # Ofcom's range for drama: 01632 960000 to 960999, never a real line.
    assert [council["mash_phone"][:10] for council in COUNCILS] == ["01632 960 "] * len(COUNCILS)
