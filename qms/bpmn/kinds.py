"""BPMN element kinds and the activity types of the graph, both ways."""

from __future__ import annotations

from qms.domain.kinds import ActivityType as T

TYPE_OF: dict[str, T] = {
    "task": T.TASK,
    "userTask": T.USER_TASK,
    "manualTask": T.MANUAL_TASK,
    "serviceTask": T.SERVICE_TASK,
    "sendTask": T.SEND_TASK,
    "receiveTask": T.RECEIVE_TASK,
    "scriptTask": T.SCRIPT_TASK,
    "businessRuleTask": T.BUSINESS_RULE_TASK,
    "subProcess": T.SUBPROCESS,
    "transaction": T.SUBPROCESS,
    "adHocSubProcess": T.SUBPROCESS,
    "callActivity": T.CALL_ACTIVITY,
    "startEvent": T.START_EVENT,
    "intermediateCatchEvent": T.INTERMEDIATE_EVENT,
    "intermediateThrowEvent": T.INTERMEDIATE_EVENT,
    "implicitThrowEvent": T.INTERMEDIATE_EVENT,
    "boundaryEvent": T.BOUNDARY_EVENT,
    "endEvent": T.END_EVENT,
    "exclusiveGateway": T.EXCLUSIVE_GATEWAY,
    "parallelGateway": T.PARALLEL_GATEWAY,
    "inclusiveGateway": T.INCLUSIVE_GATEWAY,
    "eventBasedGateway": T.EVENT_BASED_GATEWAY,
    "complexGateway": T.COMPLEX_GATEWAY,
}

#: The element written for an activity type that has no element yet (first of each type).
TAG_OF: dict[T, str] = {}
for _tag, _type in TYPE_OF.items():
    TAG_OF.setdefault(_type, _tag)
TAG_OF[T.INTERMEDIATE_EVENT] = "intermediateThrowEvent"
