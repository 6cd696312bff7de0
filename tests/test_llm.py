"""The optional language model, against a fake endpoint on the loopback interface."""

from __future__ import annotations

import json
import logging

import pytest

from bot import texts
from bot.config import LlmConfig, llm_config_from_env
from bot.questions.generate import generate_questions
from bot.questions.llm import parse_questions
from tests.fake_llm import FakeChatServer, FakeReply

GOOD_ANSWER = [
    "What does Trotsky mean by “bureaucracy” when he calls it a court of arbitration between the classes?",
    "Why does Trotsky bring in Pilsudski and the Chinese revolution of 1927?",
    "Trotsky says the defeats promoted the rise of the bureaucracy. Is the causal link convincing?",
]


@pytest.fixture
def passage(store):
    return texts.passage(store, texts.resolve_text(store, "thermidor"), 3)


@pytest.fixture
def cached_store(store):
    """The store, whose migrations made the llm_questions cache."""
    return store


def config_for(server: FakeChatServer, timeout: float = 5.0, api_key: str | None = None) -> LlmConfig:
    return LlmConfig(url=server.url, model="fake-model", timeout=timeout, api_key=api_key)


def test_no_model_unless_both_url_and_model_are_set():
    assert llm_config_from_env({}) is None
    assert llm_config_from_env({"STUDYBOT_LLM_URL": "http://127.0.0.1:8080/v1"}) is None
    assert llm_config_from_env({"STUDYBOT_LLM_MODEL": "m"}) is None


def test_model_settings_come_from_the_environment():
    config = llm_config_from_env(
        {
            "STUDYBOT_LLM_URL": "http://127.0.0.1:8080/v1",
            "STUDYBOT_LLM_MODEL": "llama",
            "STUDYBOT_LLM_TIMEOUT": "12.5",
            "STUDYBOT_LLM_API_KEY": "sk-secret",
        }
    )
    assert config == LlmConfig("http://127.0.0.1:8080/v1", "llama", 12.5, "sk-secret")
    assert config.endpoint == "http://127.0.0.1:8080/v1/chat/completions"
    assert "sk-secret" not in repr(config)


def test_a_full_endpoint_url_is_used_as_it_is_and_a_bad_timeout_falls_back():
    config = llm_config_from_env(
        {
            "STUDYBOT_LLM_URL": "http://h/v1/chat/completions",
            "STUDYBOT_LLM_MODEL": "m",
            "STUDYBOT_LLM_TIMEOUT": "soon",
        }
    )
    assert config.endpoint == "http://h/v1/chat/completions"
    assert config.timeout == 30.0


def test_the_models_questions_are_used_and_asked_for_once(cached_store, passage):
    with FakeChatServer(FakeReply(json.dumps(GOOD_ANSWER))) as server:
        first = generate_questions(cached_store, passage, llm=config_for(server))
        again = generate_questions(cached_store, passage, llm=config_for(server))
    assert [q.text for q in first] == GOOD_ANSWER
    assert {q.source for q in first} == {"llm"} and first[0].template == "llm.toml"
    assert again == first
    assert len(server.requests) == 1, "the second call is answered from the cache"


def test_the_request_carries_the_model_the_passage_and_its_analysis(cached_store, passage):
    with FakeChatServer(FakeReply(json.dumps(GOOD_ANSWER))) as server:
        generate_questions(cached_store, passage, llm=config_for(server, api_key="sk-test"))
    request = server.requests[0]
    assert request["path"] == "/v1/chat/completions"
    assert request["headers"]["Authorization"] == "Bearer sk-test"
    body = request["body"]
    assert body["model"] == "fake-model"
    user = body["messages"][-1]["content"]
    assert "The leaders of the bureaucracy promoted the proletarian defeats" in user
    assert "Key terms: " in user and "bureaucracy" in user.split("Key terms: ")[1].splitlines()[0]
    assert "{" not in user


def assert_fell_back(questions, caplog, reason):
    assert questions and {q.source for q in questions} == {"template"}
    messages = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert any("using templates" in m and reason in m for m in messages), messages


def test_a_model_that_does_not_answer_in_time_gives_way_to_the_templates(cached_store, passage, caplog):
    with FakeChatServer(FakeReply(json.dumps(GOOD_ANSWER), delay=2.0)) as server:
        questions = generate_questions(cached_store, passage, llm=config_for(server, timeout=0.3))
    assert_fell_back(questions, caplog, "no answer within 0.3 s")
    assert questions == generate_questions(cached_store, passage)


def test_a_malformed_answer_gives_way_to_the_templates(cached_store, passage, caplog):
    with FakeChatServer(FakeReply(None, raw_body=b'{"choices": "not a list"')) as server:
        questions = generate_questions(cached_store, passage, llm=config_for(server))
    assert_fell_back(questions, caplog, "not a chat completion")


def test_an_http_error_gives_way_to_the_templates(cached_store, passage, caplog):
    with FakeChatServer(FakeReply(None, status=500, raw_body=b"{}")) as server:
        questions = generate_questions(cached_store, passage, llm=config_for(server))
    assert_fell_back(questions, caplog, "HTTP 500")


def test_an_unreachable_endpoint_gives_way_to_the_templates(cached_store, passage, caplog):
    with FakeChatServer() as server:
        url = server.url
    questions = generate_questions(cached_store, passage, llm=LlmConfig(url, "m", timeout=2))
    assert_fell_back(questions, caplog, "cannot reach")


@pytest.mark.parametrize(
    "answer, reason",
    [
        (json.dumps(GOOD_ANSWER[:1]), "1 questions, not 2-4"),
        (json.dumps(GOOD_ANSWER + GOOD_ANSWER[:2]), "5 questions"),
        (json.dumps([GOOD_ANSWER[0], GOOD_ANSWER[0]]), "the same question twice"),
        (json.dumps(GOOD_ANSWER[:2] + ["What did you think of today's reading overall?"]), "not grounded"),
        (json.dumps(GOOD_ANSWER[:2] + ["Trotsky blames the bureaucracy."]), "question mark"),
        (json.dumps(GOOD_ANSWER[:2] + ["Why " + "bureaucracy " * 40 + "?"]), "longer than 300"),
        (json.dumps(GOOD_ANSWER[:2] + ["What does {term} mean for the bureaucracy?"]), "template syntax"),
        (json.dumps(GOOD_ANSWER[:2] + ["Why does Trotsky speak of the “eyes” of the Soviet masses?"]), "everyday word"),
        ("I cannot help with that.", "1 questions"),
    ],
)
def test_an_invalid_answer_gives_way_to_the_templates_and_is_not_cached(cached_store, passage, caplog, answer, reason):
    with FakeChatServer(FakeReply(answer)) as server:
        questions = generate_questions(cached_store, passage, llm=config_for(server))
    assert_fell_back(questions, caplog, reason)
    assert cached_store.query("SELECT count(*) FROM llm_questions")[0][0] == 0


def test_a_quotation_from_the_passage_grounds_a_question(cached_store, passage):
    answer = GOOD_ANSWER[:2] + ["Is it true that “the defeats promoted the rise of the bureaucracy”?"]
    with FakeChatServer(FakeReply(json.dumps(answer))) as server:
        questions = generate_questions(cached_store, passage, llm=config_for(server))
    assert [q.text for q in questions] == answer


def test_curated_questions_win_over_the_model(store, tmp_path):
    path = tmp_path / "curated.md"
    body = (
        "The council argued that the harvest depended on the tractor stations, whereas the "
        "peasants trusted the market. "
    ) * 30
    path.write_text(
        '---\ntitle: Curated\nquestions:\n  "1": ["Who is right?", "Who gains?", "Who loses?"]\n---\n' + body
    )
    texts.ingest(store, [path])
    first = texts.passage(store, texts.resolve_text(store, "curated"), 1)
    with FakeChatServer(FakeReply(json.dumps(GOOD_ANSWER))) as server:
        questions = generate_questions(store, first, llm=config_for(server))
    assert [q.text for q in questions] == ["Who is right?", "Who gains?", "Who loses?"]
    assert server.requests == []


@pytest.mark.parametrize(
    "content, expected",
    [
        ('["Why A?", "Why B?"]', ["Why A?", "Why B?"]),
        ('```json\n["Why A?", "Why B?"]\n```', ["Why A?", "Why B?"]),
        ('{"questions": ["Why A?", "Why B?"]}', ["Why A?", "Why B?"]),
        ("1. Why A?\n2) Why B?\n- Why C?", ["Why A?", "Why B?", "Why C?"]),
    ],
)
def test_the_answer_may_come_as_json_or_as_a_numbered_list(content, expected):
    assert parse_questions(content) == expected
