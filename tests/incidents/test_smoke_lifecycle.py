from incidents import lifecycle
from incidents.choices import State


def test_registering_an_incident_numbers_it_and_records_the_registration(incident):
    # then
    assert incident.number.startswith("INC") and len(incident.number) == 10
    assert incident.state == State.NEW
    assert list(incident.timeline.values_list("kind", flat=True)) == ["created"]


def test_an_agent_moving_an_incident_to_in_progress_is_its_first_response(incident, agent):
    # when
    updated = lifecycle.incident_transition(incident=incident, actor=agent, to_state=State.IN_PROGRESS)
    # then
    assert updated.first_response_at is not None
    assert updated.version == incident.version + 1
