"""The process's own writes go in the order they asked, and a write inside a write
(a listener reacting to a change) never waits for itself."""

import threading

from callassist.desk.write_turns import WriteTurns


def test_writers_go_in_the_order_they_asked_not_whoever_grabs_first():
    turns = WriteTurns()
    went: list[str] = []
    asked: dict[str, threading.Event] = {}
    threads = []
    with turns.turn():
        for name in ("window save", "settle batch 2", "settle batch 3"):
            asked[name] = threading.Event()

            def write(name: str = name) -> None:
                asked[name].set()
                with turns.turn():
                    went.append(name)

            thread = threading.Thread(target=write)
            thread.start()
            threads.append(thread)
            # The next writer asks only once this one is queued.
            assert asked[name].wait(10)
            while turns._next_ticket < len(threads) + 1:
                threading.Event().wait(0.001)
    for thread in threads:
        thread.join(10)
    assert went == ["window save", "settle batch 2", "settle batch 3"]


def test_a_write_inside_a_write_of_the_same_thread_goes_straight_through():
    turns = WriteTurns()
    other_went = threading.Event()

    def other() -> None:
        with turns.turn():
            other_went.set()

    with turns.turn():
        with turns.turn():
            pass  # would wait for itself forever without passing through
        thread = threading.Thread(target=other)
        thread.start()
        assert not other_went.wait(0.05)  # the outer write still holds the turn
    thread.join(10)
    assert other_went.is_set()
