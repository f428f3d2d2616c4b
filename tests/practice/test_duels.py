"""Duels over the real /ws: auth first, matchmaking, judged submissions, the end of a duel, chat; both backends."""

from __future__ import annotations

from typing import Any, AsyncIterator, Callable, Dict

import aiohttp
import pytest
from aiohttp import web

from bridge.practice import PracticeSettings, create_app

from .duel_client import matched, open_socket, player, problem_of, usernames
from .fixtures import Practice, require_judge, sign_up

pytestmark = pytest.mark.slow
FAST = {"duel_start_delay_seconds": 0, "duel_reconnect_seconds": 1}


@pytest.fixture
async def duels(start_practice: Practice, database_url: str) -> AsyncIterator[Callable[..., Any]]:
    """`await duels(**settings)`: an app on this backend (no start delay, 1 s grace unless told), and its client."""
    sessions = []

    async def start(**settings: Any) -> aiohttp.ClientSession:
        url = await start_practice(database_url=database_url, **{**FAST, **settings})
        http = aiohttp.ClientSession(url)
        sessions.append(http)
        return http

    yield start
    for http in sessions:
        await http.close()


async def stats(http: aiohttp.ClientSession, auth: Dict[str, str]) -> Dict[str, Any]:
    async with http.get("/api/duels/stats", headers=auth) as r:
        assert r.status == 200
        return dict(await r.json())


async def test_the_first_message_must_authenticate(duels: Callable[..., Any]) -> None:
    http = await duels()
    _, auth = await sign_up(http, "john_dev")
    token = auth["Authorization"].split()[1]
    for first, says in [({"type": "join-queue", "difficulty": "easy", "language": "python"}, "got 'join-queue'"),
                        ({"type": "auth", "token": "not.a.jwt"}, "Invalid token"),
                        ({"type": "auth"}, "auth: Missing required field: token"),
                        ("hello", "Message is not valid JSON")]:
        socket = await http.ws_connect("/ws")
        if isinstance(first, str):
            await socket.send_str(first)
        else:
            await socket.send_json(first)
        refusal = await socket.receive_json(timeout=30)
        assert refusal["type"] == "error" and (refusal["code"], refusal["status"]) == ("UNAUTHORIZED", 401)
        assert says in refusal["error"], refusal
        close = await socket.receive(timeout=30)
        assert close.type == aiohttp.WSMsgType.CLOSE and close.data == 4401 and says in close.extra
        await socket.close()

    welcome = await open_socket(http, token, "john_dev")
    async with http.post("/api/auth/logout", headers=auth) as r:
        assert r.status == 200
    socket = await http.ws_connect("/ws")
    await socket.send_json({"type": "auth", "token": token})
    refusal = await socket.receive_json(timeout=30)
    assert refusal["error"] == "Token revoked (logged out); log in again"
    await socket.close()
    await welcome.close()


async def test_a_newer_socket_of_the_same_account_replaces_the_older(duels: Callable[..., Any]) -> None:
    http = await duels()
    older, auth = await player(http, "john_dev")
    await older.send("join-queue", difficulty="easy", language="python")
    await older.expect("queued")
    newer = await open_socket(http, auth["Authorization"].split()[1], "john_dev")
    assert (await older.closed())[0] == 4000
    await newer.send("join-queue", difficulty="easy", language="python")  # still queued from the older socket
    assert "in the queue already" in (await newer.error("CONFLICT", 409))["error"]
    await newer.close()


async def test_a_bad_message_is_answered_and_the_socket_stays_open(duels: Callable[..., Any]) -> None:
    http = await duels()
    me, _ = await player(http, "john_dev")
    bad = [
        ("{not json", "INVALID_INPUT", "Message is not valid JSON"),
        ("[1, 2]", "INVALID_INPUT", "A message must be a JSON object"),
        ('{"difficulty": "easy"}', "INVALID_INPUT", "Missing required field: type"),
        ('{"type": "dance"}', "INVALID_INPUT", "Unknown message type 'dance'; expected one of auth, join-queue"),
        ('{"type": "join-queue", "language": "python"}', "INVALID_INPUT",
         "join-queue: Missing required field: difficulty"),
        ('{"type": "join-queue", "difficulty": "expert", "language": "python"}', "INVALID_INPUT",
         "difficulty: Value error, must be one of easy, medium, hard (or beginner, intermediate, advanced), "
         "got 'expert'"),
        ('{"type": "join-queue", "difficulty": "easy", "language": "cobol"}', "INVALID_INPUT",
         "language: Value error, must be one of python, javascript, java, cpp, got 'cobol'"),
        ('{"type": "join-queue", "difficulty": 1, "language": "python"}', "INVALID_INPUT", "difficulty:"),
        ('{"type": "auth", "token": "x"}', "INVALID_INPUT", "Already authenticated"),
        ('{"type": "send-message", "duel_id": "d", "message": "   "}', "INVALID_INPUT",
         "must be 1 to 500 characters once trimmed, got 0"),
        ('{"type": "send-message", "duel_id": "d", "message": "' + "x" * 501 + '"}', "INVALID_INPUT", "got 501"),
        ('{"type": "code-submit", "duel_id": "d", "code": "pass"}', "NOT_FOUND", "You are in no running duel"),
        ('{"type": "forfeit", "duel_id": "d"}', "NOT_FOUND", "You are in no running duel"),
        ('{"type": "send-message", "duel_id": "d", "message": "hi"}', "NOT_FOUND", "You are in no running duel"),
        ('{"type": "leave-queue"}', "CONFLICT", "You are not in the queue"),
    ]
    for text, code, says in bad:
        await me.socket.send_str(text)
        answer = await me.error(code, {"INVALID_INPUT": 400, "NOT_FOUND": 404, "CONFLICT": 409}[code])
        assert says in answer["error"], (text, answer)
    await me.socket.send_bytes(b"{}")
    assert "text frame" in (await me.error("INVALID_INPUT", 400))["error"]

    await me.send("join-queue", difficulty="intermediate", language="java")  # the seed's word for medium
    assert await me.expect("queued") == {"type": "queued", "difficulty": "medium", "language": "java"}
    await me.send("join-queue", difficulty="easy", language="python")
    answer = await me.error("CONFLICT", 409)
    assert answer["request"] == "join-queue" and "in the queue already" in answer["error"]
    await me.send("leave-queue")
    await me.expect("left-queue")
    await me.close()


async def test_players_meet_by_difficulty_and_language(duels: Callable[..., Any]) -> None:
    http = await duels(duel_start_delay_seconds=5)
    alice, _ = await player(http, "alice")
    bob, _ = await player(http, "bob")
    carol, _ = await player(http, "carol")
    await carol.send("join-queue", difficulty="easy", language="java")
    await carol.expect("queued")
    for_alice, for_bob = await matched(alice, bob)
    assert for_alice["duel_id"] == for_bob["duel_id"]
    assert for_alice["opponent"] == {"username": "bob", "level": 1, "rating": 1200}
    assert for_bob["opponent"] == {"username": "alice", "level": 1, "rating": 1200}
    problem = problem_of(for_alice)
    assert for_alice["problem"] == for_bob["problem"] == {
        "id": problem.id, "title": problem.title, "description": problem.description, "difficulty": "easy",
        "time_limit_seconds": 900, "starter_code": for_alice["problem"]["starter_code"],
        "function_signature": problem.signature.to_dict()}
    assert problem.signature.function in for_alice["problem"]["starter_code"]
    assert for_alice["language"] == "python" and for_alice["starts_at"].endswith("Z")
    assert for_alice["starts_at"] < for_alice["ends_at"]
    await carol.quiet()  # another language: not matched
    await carol.send("leave-queue")
    await carol.expect("left-queue")

    await alice.send("code-submit", duel_id=for_alice["duel_id"], code=problem.solutions["python"])
    assert "The duel starts at" in (await alice.error("CONFLICT", 409))["error"]  # five seconds too early
    await alice.send("join-queue", difficulty="easy", language="python")
    assert "in a duel already" in (await alice.error("CONFLICT", 409))["error"]
    await bob.send("forfeit", duel_id="another-duel")
    assert "is not yours" in (await bob.error("NOT_FOUND", 404))["error"]
    for socket in (alice, bob, carol):
        await socket.close()


async def test_an_accepted_solution_wins_at_once(duels: Callable[..., Any], request: Any) -> None:
    http = await duels()
    require_judge(request)
    alice, alice_auth = await player(http, "alice")
    bob, bob_auth = await player(http, "bob")
    for_alice, _ = await matched(alice, bob, difficulty="beginner")
    duel_id, problem = for_alice["duel_id"], problem_of(for_alice)

    await alice.send("code-submit", duel_id=duel_id, code=for_alice["problem"]["starter_code"])
    await alice.send("code-submit", duel_id=duel_id, code=for_alice["problem"]["starter_code"])
    assert "still being judged" in (await alice.error("CONFLICT", 409))["error"]
    result = await alice.expect("code-result")
    assert result["player"] == "self" and result["status"] != "accepted" and result["xp_earned"] == 0
    assert result["total_tests"] == len(problem.tests)
    progress = await bob.expect("opponent-progress")
    assert progress == {"type": "opponent-progress", "opponent": "alice", "passed_tests": result["passed_tests"],
                        "total_tests": len(problem.tests), "status": "solving"}

    await bob.send("code-submit", duel_id=duel_id, code=problem.solutions["python"])
    result = await bob.expect("code-result")
    assert (result["status"], result["passed_tests"], result["xp_earned"]) == ("accepted", len(problem.tests), 100)
    assert (await alice.expect("opponent-progress"))["status"] == "solved"
    for socket in (alice, bob):
        complete = await socket.expect("duel-complete")
        assert (complete["winner"], complete["reason"]) == ("bob", "solved")
        assert usernames(complete) == ["alice", "bob"]
        first, second = complete["player1"], complete["player2"]
        assert (first["rating"], first["rating_change"]) == (1184, -16)
        assert first["passed_tests"] == progress["passed_tests"] < len(problem.tests)
        assert (second["passed_tests"], second["rating"], second["rating_change"]) == (len(problem.tests), 1216, 16)
        assert second["time_seconds"] >= 0
    await bob.send("code-submit", duel_id=duel_id, code=problem.solutions["python"])
    assert "no running duel" in (await bob.error("NOT_FOUND", 404))["error"]  # the duel is over

    async with http.get("/api/submissions", headers=bob_auth) as r:  # a duel submission is a submission
        history = (await r.json())["submissions"]
    assert [(s["problem_id"], s["status"], s["xp_earned"]) for s in history] == [(problem.id, "accepted", 100)]
    assert await stats(http, bob_auth) == {"total_duels": 1, "wins": 1, "losses": 0, "draws": 0, "win_rate": 1.0,
                                           "current_streak": 1, "best_streak": 1, "rank": 1, "rating": 1216}
    assert await stats(http, alice_auth) == {"total_duels": 1, "wins": 0, "losses": 1, "draws": 0,
                                             "win_rate": 0.0, "current_streak": 0, "best_streak": 0, "rank": 2,
                                             "rating": 1184}
    async with http.get("/api/leaderboard", headers=alice_auth) as r:
        assert await r.json() == {"leaderboard": [
            {"rank": 1, "username": "bob", "wins": 1, "win_rate": 1.0, "rating": 1216},
            {"rank": 2, "username": "alice", "wins": 0, "win_rate": 0.0, "rating": 1184}]}
    for socket in (alice, bob):
        await socket.close()


async def test_forfeit_streaks_and_the_leaderboard(duels: Callable[..., Any]) -> None:
    http = await duels()
    alice, alice_auth = await player(http, "alice")
    bob, bob_auth = await player(http, "bob")
    expected = [(1216, 1184), (1231, 1169)]  # alice wins twice: 32 * (1 - 0.5) = 16, then 32 * (1 - 0.545) = 15
    for alice_rating, bob_rating in expected:
        _, for_bob = await matched(alice, bob)
        await bob.send("forfeit", duel_id=for_bob["duel_id"])
        for socket in (alice, bob):
            complete = await socket.expect("duel-complete")
            assert (complete["winner"], complete["reason"]) == ("alice", "forfeit")
            assert (complete["player1"]["rating"], complete["player2"]["rating"]) == (alice_rating, bob_rating)
            assert complete["player1"]["time_seconds"] is None  # nobody passed a test
    mine = await stats(http, alice_auth)
    assert (mine["wins"], mine["current_streak"], mine["best_streak"], mine["rank"]) == (2, 2, 2, 1)
    theirs = await stats(http, bob_auth)
    assert (theirs["losses"], theirs["win_rate"], theirs["rank"], theirs["rating"]) == (2, 0.0, 2, 1169)

    async with http.get("/api/leaderboard?limit=1&offset=1", headers=bob_auth) as r:
        assert await r.json() == {"leaderboard": [
            {"rank": 2, "username": "bob", "wins": 0, "win_rate": 0.0, "rating": 1169}]}
    async with http.get("/api/leaderboard?limit=1", headers=bob_auth) as r:
        assert [row["username"] for row in (await r.json())["leaderboard"]] == ["alice"]
    for socket in (alice, bob):
        await socket.close()


async def test_stats_and_leaderboard_before_any_duel(duels: Callable[..., Any]) -> None:
    http = await duels()
    _, auth = await sign_up(http, "john_dev")
    assert await stats(http, auth) == {"total_duels": 0, "wins": 0, "losses": 0, "draws": 0, "win_rate": 0.0,
                                       "current_streak": 0, "best_streak": 0, "rank": None, "rating": 1200}
    async with http.get("/api/leaderboard", headers=auth) as r:
        assert r.status == 200 and await r.json() == {"leaderboard": []}
    for query, says in [("limit=0", "limit must be between 1 and 100, got 0"),
                        ("limit=101", "limit must be between 1 and 100, got 101"),
                        ("limit=ten", "limit must be a whole number, got 'ten'"),
                        ("offset=-1", "offset must be between 0 and 1000000000, got -1")]:
        async with http.get(f"/api/leaderboard?{query}", headers=auth) as r:
            assert r.status == 400 and await r.json() == {"error": says, "code": "INVALID_INPUT", "status": 400}
    for path in ("/api/leaderboard", "/api/duels/stats"):
        async with http.get(path) as r:
            assert r.status == 401 and (await r.json())["code"] == "UNAUTHORIZED"


async def test_chat_reaches_the_opponent(duels: Callable[..., Any]) -> None:
    http = await duels()
    alice, _ = await player(http, "alice")
    bob, _ = await player(http, "bob")
    for_alice, _ = await matched(alice, bob)
    await alice.send("send-message", duel_id=for_alice["duel_id"], message="  Good luck!  ")
    heard = await bob.expect("receive-message")
    assert (heard["from"], heard["message"]) == ("alice", "Good luck!") and heard["timestamp"].endswith("Z")
    await alice.quiet()  # no echo: the page shows its own line when sending
    await bob.send("send-message", duel_id="not-this-duel", message="Thanks! You too!")
    assert "is not yours" in (await bob.error("NOT_FOUND", 404))["error"]
    for socket in (alice, bob):
        await socket.close()


async def test_a_player_back_within_the_grace_period_continues(duels: Callable[..., Any]) -> None:
    http = await duels(duel_reconnect_seconds=30)
    alice, alice_auth = await player(http, "alice")
    bob, _ = await player(http, "bob")
    for_alice, _ = await matched(alice, bob)
    await alice.close()
    gone = await bob.expect("opponent-progress")
    assert (gone["opponent"], gone["status"], gone["passed_tests"]) == ("alice", "disconnected", 0)

    alice = await open_socket(http, alice_auth["Authorization"].split()[1], "alice")
    state = await alice.expect("duel-state")
    assert {k: state[k] for k in ("duel_id", "problem", "opponent", "starts_at")} == \
        {k: for_alice[k] for k in ("duel_id", "problem", "opponent", "starts_at")}
    assert state["you"]["passed_tests"] == 0 and state["opponent_progress"]["opponent"] == "bob"
    assert (await bob.expect("opponent-progress"))["status"] == "reconnected"
    await alice.send("send-message", duel_id=state["duel_id"], message="back!")
    assert (await bob.expect("receive-message"))["message"] == "back!"
    await alice.send("forfeit", duel_id=state["duel_id"])
    assert (await bob.expect("duel-complete"))["reason"] == "forfeit"
    for socket in (alice, bob):
        await socket.close()


async def test_a_player_away_beyond_the_grace_period_loses(duels: Callable[..., Any]) -> None:
    http = await duels(duel_reconnect_seconds=0.5)
    alice, alice_auth = await player(http, "alice")
    bob, _ = await player(http, "bob")
    await matched(alice, bob)
    await alice.close()
    assert (await bob.expect("opponent-progress"))["status"] == "disconnected"
    complete = await bob.expect("duel-complete")
    assert (complete["winner"], complete["reason"], complete["player2"]["rating"]) == ("bob", "disconnect", 1216)

    alice = await open_socket(http, alice_auth["Authorization"].split()[1], "alice")
    await alice.quiet()  # no duel to restore
    await alice.send("join-queue", difficulty="easy", language="python")
    await alice.expect("queued")
    for socket in (alice, bob):
        await socket.close()


async def test_at_the_time_limit_nobody_passed_anything_is_a_draw(duels: Callable[..., Any]) -> None:
    http = await duels(duel_time_limit_seconds=1)
    alice, alice_auth = await player(http, "alice")
    bob, _ = await player(http, "bob")
    for_alice, _ = await matched(alice, bob)
    assert for_alice["problem"]["time_limit_seconds"] == 1
    for socket in (alice, bob):
        complete = await socket.expect("duel-complete")
        assert (complete["winner"], complete["reason"]) == (None, "time_limit")
        assert [complete[p]["rating_change"] for p in ("player1", "player2")] == [0, 0]
    mine = await stats(http, alice_auth)
    assert (mine["total_duels"], mine["draws"], mine["rank"], mine["rating"]) == (1, 1, 1, 1200)
    for socket in (alice, bob):
        await socket.close()


async def test_stopping_the_server_ends_running_duels_unrated(database_url: str, tmp_path: Any,
                                                              build_cache: str) -> None:
    values: Dict[str, Any] = {"data_dir": tmp_path / "data", "database_url": database_url,
                              "sandbox": {"cache_dir": build_cache, "warm_pool_size": 0}, **FAST}
    settings = PracticeSettings(**values)
    runner = web.AppRunner(create_app(settings))
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    async with aiohttp.ClientSession(f"http://127.0.0.1:{runner.addresses[-1][1]}") as http:
        alice, alice_auth = await player(http, "alice")
        bob, _ = await player(http, "bob")
        await matched(alice, bob)
        await runner.cleanup()
        for socket in (alice, bob):
            complete = await socket.expect("duel-complete")
            assert (complete["winner"], complete["reason"]) == (None, "server_shutdown")
            assert complete["player1"]["rating_change"] == complete["player2"]["rating_change"] == 0
            assert await socket.closed() == (1001, "The server is shutting down")

    runner = web.AppRunner(create_app(settings))  # the same database: the duel counts for nobody
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    try:
        async with aiohttp.ClientSession(f"http://127.0.0.1:{runner.addresses[-1][1]}") as http:
            assert (await stats(http, alice_auth))["total_duels"] == 0
    finally:
        await runner.cleanup()
