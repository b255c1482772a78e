"""Property-based tests (hypothesis) of the command line's new_task and worker, run as programs.

``python -m workqueue_helpers.new_task`` runs the tutorial's final new_task.py
and ``python -m workqueue_helpers.worker`` a step's worker.py, under the
harness (see test_cli.py). Three properties, each a promise the lessons make
to a learner:

1. Whatever the arguments (real options with edge values, junk words, broken
   or unreachable URLs), each program ends with a non-zero exit code, exactly
   ONE line on stderr, no traceback and never the URL's password. Every URL
   drawn here is wrong or leads nowhere (a port nobody listens on, a wrong
   password, a name in ``.invalid``), so the worker can never start consuming.
2. Any non-blank UTF-8 message (unicode, dots, padded words, thousands of
   characters) is sent, the tutorial's ``[x] Sent <message>`` printed, and
   then found in the queue byte for byte; a blank message is refused in one
   line, and so is a message that is not UTF-8 (raw bytes typed in another
   encoding: the tutorial's program publishes a str, which pika encodes as
   UTF-8), and then nothing is sent.
3. One real worker, kept running across all examples, never loses a message:
   each UTF-8 body (empty, dots, line breaks...) is taken, printed as the
   tutorial prints it, done and acknowledged, the worker stays alive, and
   when it is stopped with CTRL+C (SIGINT) nothing comes back to the queue
   unacknowledged. (A body that is not UTF-8 stops the tutorial's worker, in
   one line, and stays in the queue: pinned at the end of this file.)

The bugs these found (a traceback for a queue name over 255 bytes, an empty
queue name accepted, a line break or a misplaced URL's password printed back,
port 0 reported as 5672) are fixed; the tests at the end of this file pin
each one by its exact input.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from types import SimpleNamespace
from typing import List, Sequence

import pika
import pika.exceptions
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from children import ctrl_c_works

from workqueue_helpers import programs

pytestmark = pytest.mark.broker

TIMEOUT = 15  # seconds for one run of a program
PORT = "{PORT}"  # in a drawn argument: replaced by a port where nothing listens

PROPERTY = settings(
    max_examples=int(os.environ.get("CLI_PROPERTY_EXAMPLES", "20")),  # more for a deeper search
    deadline=None,
    database=None,  # no .hypothesis/ folder in the repository
    derandomize=True,  # the same examples on every run: a steady regression suite
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much,
                           HealthCheck.data_too_large, HealthCheck.large_base_example],
)


# --- helpers -----------------------------------------------------------------------------------

def run(module: str, args: Sequence[str], env_url: str = None,
        timeout: float = TIMEOUT) -> subprocess.CompletedProcess:
    """Run ``python -m workqueue_helpers.<module> *args``, as test_cli.run does.

    ``env_url`` becomes RABBITMQ_URL, the default of --url: the property
    tests set it to a URL where nothing listens, so that an argument list
    without --url can never reach (and send to, or consume from) a real broker.
    """
    env = dict(os.environ)
    if env_url is not None:
        env["RABBITMQ_URL"] = env_url
    return subprocess.run([sys.executable, "-m", f"workqueue_helpers.{module}", *args],
                          capture_output=True, timeout=timeout, env=env)


def closed_port() -> int:
    """A TCP port on 127.0.0.1 where nothing listens (bound to 0, then let go)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def assert_one_line_failure(result: subprocess.CompletedProcess, password: str) -> str:
    """Non-zero exit, one line on stderr, nothing on stdout, no traceback, no password."""
    out = result.stdout.decode("utf-8", "replace")
    err = result.stderr.decode("utf-8", "replace")
    assert result.returncode != 0, (result.returncode, out, err)
    assert "Traceback" not in out and "Traceback" not in err, err
    assert password not in out and password not in err, err
    assert len(err.strip().splitlines()) == 1, err
    assert err.endswith("\n") and "error: " in err, err
    assert out == "", out
    return err


def connection(url: str) -> pika.BlockingConnection:
    return pika.BlockingConnection(pika.URLParameters(url))


def fresh_queue_name() -> str:
    return f"test.prop.{uuid.uuid4().hex[:8]}"


def delete_queue(url: str, queue: str) -> None:
    conn = connection(url)
    try:
        conn.channel().queue_delete(queue)
    finally:
        conn.close()


def counts(channel, queue: str):
    """(ready messages, consumers) of ``queue``, by a passive declare."""
    ok = channel.queue_declare(queue, passive=True).method
    return ok.message_count, ok.consumer_count


def wait_until(predicate, seconds: float, step: float = 0.02) -> bool:
    deadline = time.monotonic() + seconds
    while True:
        if predicate():
            return True
        if time.monotonic() > deadline:
            return False
        time.sleep(step)


# --- strategies for property 1 -------------------------------------------------------------------

def is_help(word: str) -> bool:
    """-h, -xh, --h, --he, ... : argparse prints the help and exits 0 (a success, not a mistake)."""
    return word.startswith("-") and "h" in word


safe_chars = st.characters(exclude_categories=["Cs"], exclude_characters="\x00")  # no NUL in argv
junk_text = st.text(safe_chars, max_size=24)
# a junk word: anything but a help flag or something that could be a working URL
junk_word = junk_text.filter(lambda w: not is_help(w) and "://" not in w)

EDGE_VALUES = [
    "-1", "-0", "0", "-0.0", "100000", "65535", "65536", str(10 ** 30), "-" + str(10 ** 30),
    "1e400", "-1e400", "1e-400", "nan", "NaN", "-nan", "inf", "-inf", "Infinity", "",
    " ", "  7 ", "abc", "1e3", "0x10", "1_000", "\u0663", "\u00bd", "\u221e", "classic",
    "quorum", "QUORUM", "stream", "Hello...", "....", "\u00fcn\u00efc\u00f6d\u00e9",
    "\U0001f4a5", "amq.reserved", "--", "-", "--url", "=",
]
values = st.one_of(
    st.sampled_from(EDGE_VALUES),
    st.integers(min_value=-(10 ** 31), max_value=10 ** 31).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    junk_word,
)

SHARED_VALUED = ["--queue", "--queue-type", "--url", "--name"]
OPTIONS = {
    "new_task": (SHARED_VALUED, []),
    "worker": (SHARED_VALUED + ["--prefetch", "--seconds-per-dot", "--max-seconds",
                                "--reconnect-seconds"], ["--auto-ack"]),
}
# Not this program's, or no longer anyone's: the options the command line had before it ran
# the tutorial's step programs (--durable, --transient, --confirm...), and the harness's own.
WRONG_OPTIONS = ["--prefetch", "--confirm", "--auto-ack", "--queues", "--que", "--pre",
                 "--durable=yes", "--queue-typ", "--seconds", "-q", "-x", "--",
                 "--durable", "--no-durable", "--persistent", "--transient", "--dead-letter-queue",
                 "--forget-ack", "--reject-if", "--requeue", "--no-requeue", "--once"]

# Host parts of a URL that lead nowhere, quickly (no DNS name that may exist, no black hole).
hosts = st.one_of(
    st.sampled_from(["127.0.0.1:" + PORT, "localhost:" + PORT, "[::1]:" + PORT, ":" + PORT,
                     "",  # no host, no port: localhost:5672, where the password is wrong
                     "127.0.0.1:", "127.0.0.1:abc", "127.0.0.1:99999", "127.0.0.1:-1",
                     "127.0.0.1:" + str(10 ** 30), "127.0.0.1:\u0663", "[::1", "::1]",
                     "no-such-host.invalid", "\u00fcn\u00efc\u00f6d\u00e9.invalid:" + PORT,
                     "x" * 70 + ".invalid", "....", "256.256.256.256:" + PORT]),
    st.text(st.characters(categories=["L", "N"]), min_size=1, max_size=20)
    .map(lambda label: label + ".invalid:" + PORT),
)
users = st.one_of(st.sampled_from(["guest", "", "admin", "%41dmin", "a%20b", "a%0Ab", "dept/alice",
                                   "\u00fcser"]),
                  st.text(st.characters(categories=["L", "N"]), max_size=10))
vhosts = st.one_of(st.sampled_from(["", "/", "/%2F", "/%2f", "/vhost", "/%zz", "/%", "/a/b",
                                    "/\u00fcn\u00efc\u00f6d\u00e9"]),
                   junk_text.map(lambda t: "/" + t))
queries = st.sampled_from([
    "", "?heartbeat=junk", "?heartbeat=-1", "?heartbeat=" + str(10 ** 30), "?socket_timeout=nan",
    "?socket_timeout=-1", "?stack_timeout=inf", "?frame_max=1", "?channel_max=-1",
    "?connection_attempts=0", "?connection_attempts=1000&retry_delay=60", "?ssl_options=junk",
    "?ssl_options={'x': 1}", "?client_properties=[[[", "?client_properties=" + "[" * 2000,
    "?unknown=1", "?heartbeat=1&heartbeat=2", "?locale=\u00fc", "?blocked_connection_timeout=x",
])
schemes = st.sampled_from(["amqp", "amqps", "AMQP", "Amqps", "http", "https", "ftp", "amqpx",
                           "amqp:", "", "tcp", "rabbitmq"])


@st.composite
def urls(draw, password: str) -> str:
    """A URL with ``password`` in it that no broker will accept (see the module's docstring)."""
    kind = draw(st.sampled_from(["structured", "structured", "structured", "no-slashes",
                                 "garbage", "spaces"]))
    user, host = draw(users), draw(hosts)
    if kind == "structured":
        return f"{draw(schemes)}://{user}:{password}@{host}{draw(vhosts)}{draw(queries)}"
    if kind == "no-slashes":  # amqp:guest:pw@host, amqp:/guest:pw@host
        return f"amqp:{draw(st.sampled_from(['', '/']))}{user}:{password}@{host}"
    if kind == "spaces":
        return f" amqp://{user}:{password}@{host}/ {draw(junk_word)}"
    return f"{draw(junk_word)}{password}{draw(junk_word)}"


@st.composite
def argument_lists(draw, module: str):
    """(arguments, password, RABBITMQ_URL): options with edge values, junk words and URLs."""
    password = "S3cret-" + uuid.UUID(int=draw(st.integers(0, 2 ** 128 - 1))).hex[:10]
    valued, flags = OPTIONS[module]
    entry = st.one_of(
        st.tuples(st.sampled_from(valued), values).map(list),             # --opt value
        st.tuples(st.sampled_from(valued), values).map(lambda t: [f"{t[0]}={t[1]}"]),
        *([st.sampled_from(flags).map(lambda f: [f])] if flags else []),  # --flag
        st.sampled_from(valued).map(lambda o: [o]),                       # --opt (no value)
        st.tuples(st.sampled_from(WRONG_OPTIONS), values).map(list),      # not this program's
        junk_word.map(lambda w: [w]),                                     # a stray word
        urls(password).map(lambda u: ["--url", u]),                       # the URL, again
    )
    args: List[str] = [word for group in draw(st.lists(entry, max_size=6)) for word in group]
    position = draw(st.integers(0, len(args)))
    url = draw(urls(password))
    args[position:position] = draw(st.sampled_from([["--url", url], [f"--url={url}"], []]))
    args = [word for word in args if not is_help(word)]
    # After "--" every word is a stray argument, which argparse names in its error;
    # a drawn "URL" that is the bare password then cannot be told from any other word.
    args = [word for word in args if word != "--"]
    env_url = f"amqp://guest:{password}@127.0.0.1:{PORT}/%2F"
    return args, password, env_url


def with_port(words: Sequence[str], port: int) -> List[str]:
    return [word.replace(PORT, str(port)) for word in words]


# --- property 1: every mistake is one line -------------------------------------------------------

@pytest.mark.parametrize("module", ["new_task", "worker"])
@PROPERTY
@given(case=st.data())
def test_any_wrong_arguments_fail_in_one_line_without_password(module, case):
    args, password, env_url = case.draw(argument_lists(module), label="arguments")
    port = closed_port()
    args, (env_url,) = with_port(args, port), with_port([env_url], port)
    result = run(module, args, env_url=env_url)
    assert_one_line_failure(result, password)


# --- property 2: a message is sent byte for byte, or refused when blank or not UTF-8 ------------

text_word = st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\x00"),
                    max_size=30)
raw_word = (st.binary(max_size=30).filter(lambda b: b"\x00" not in b)
            .map(lambda b: b.decode("utf-8", "surrogateescape")))  # bytes typed in a terminal
words = st.one_of(
    text_word,
    raw_word,
    st.sampled_from(["", " ", "\t", "\n", ".", "...", "-", "--", "-x", "--confirm", "-1",
                     "Hello", "b'x", "\u00a0", "\u3000", "\U0001f407"]),
    st.tuples(st.sampled_from(["", " ", "  ", "\t", "\n "]), text_word,
              st.sampled_from(["", " ", "  ", "\t", " \n"])).map("".join),  # padded
    st.integers(0, 300).map(lambda n: "." * n),                              # dots
    st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\x00"),
            min_size=500, max_size=3000),                                    # long
)
messages = st.lists(words, min_size=1, max_size=5)


def is_utf8(text: str) -> bool:
    """Whether the words typed were UTF-8 (a word that was not holds surrogate escapes)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


@pytest.fixture(scope="module")
def message_queue(broker):
    """A fresh queue for property 2, durable and quorum as the tutorial declares it;
    deleted afterwards."""
    queue = fresh_queue_name()
    conn = connection(broker.url)
    conn.channel().queue_declare(queue, durable=True, arguments={"x-queue-type": "quorum"})
    conn.close()
    yield queue
    delete_queue(broker.url, queue)


@PROPERTY
@given(message=messages, separator=st.booleans())
def test_any_message_is_sent_byte_exact_or_refused_only_when_blank_or_not_utf8(
        broker, message_queue, message, separator):
    text = " ".join(message)
    # "--" ends the options; without it a word like -x or --confirm is read as an option.
    dashed = any(word.startswith("-") for word in message)
    args = ["--url", broker.url, "--queue", message_queue,
            *(["--"] if separator or dashed else []), *message]
    result = run("new_task", args)
    out = result.stdout.decode("utf-8", "replace")
    err = result.stderr.decode("utf-8", "replace")
    assert "Traceback" not in out and "Traceback" not in err, err

    conn = connection(broker.url)
    try:
        channel = conn.channel()
        method, properties, got = channel.basic_get(message_queue, auto_ack=True)
        extra = channel.basic_get(message_queue, auto_ack=True)[0]
    finally:
        conn.close()

    event("sent" if text.strip() and is_utf8(text) else
          "refused: blank" if not text.strip() else "refused: not UTF-8")
    if text.strip() and is_utf8(text):
        assert result.returncode == 0, f"a message that is not blank was refused: {err}"
        assert err == ""
        assert out == f" [x] Sent {text}\n", out  # the tutorial's line, the message as it is
        assert method is not None, "sent, but not in the queue"
        assert got == text.encode("utf-8")
        assert properties.delivery_mode == 2
        assert extra is None, "more than one message in the queue"
    else:
        assert result.returncode != 0
        assert out == ""
        assert len(err.strip().splitlines()) == 1 and err.startswith("error: "), err
        assert ("the message is empty" if not text.strip() else "UnicodeEncodeError") in err, err
        assert method is None, "refused, yet something is in the queue"


# --- property 3: a worker never loses a message --------------------------------------------------

WAITING = " [*] Waiting for messages. To exit press CTRL+C\n"


def start_worker(url: str, queue: str, harness: Sequence[str] = ()) -> SimpleNamespace:
    """A real worker on ``queue`` (classic, durable), its output in files; ready when it waits.

    The command line's worker; with ``harness`` options (lesson 2's ``--forget-ack``,
    which only the harness has), lesson 2's worker.py run by the harness directly.
    """
    out, err = tempfile.TemporaryFile(), tempfile.TemporaryFile()
    if harness:
        argv = ["-m", "workqueue_helpers.harness", "--queue-type", "classic", "--max-seconds",
                "0.01", *harness, programs.program("step2", "worker.py")]
        env = dict(os.environ, **programs.environment(url, queue, 0.0))
    else:
        argv = ["-m", "workqueue_helpers.worker", "--url", url, "--queue", queue,
                "--queue-type", "classic", "--seconds-per-dot", "0", "--max-seconds", "0.01"]
        env = None
    process = subprocess.Popen([sys.executable, "-u", *argv], stdout=out, stderr=err, env=env,
                               preexec_fn=ctrl_c_works)  # CTRL+C works even under `make test &`
    worker = SimpleNamespace(process=process, out=out, err=err, queue=queue, published=0,
                             transcript=WAITING)
    if not wait_until(lambda: "Waiting for messages" in read(worker.out)
                      or process.poll() is not None, TIMEOUT):
        process.kill()
        raise AssertionError("the worker did not start within 15 s")
    assert process.poll() is None, read(worker.err)
    return worker


def read(file) -> str:
    """All the worker wrote so far. pread, not seek and read: the worker writes through
    the same open file, and moving its offset would make it write over its own lines."""
    fd = file.fileno()
    return os.pread(fd, os.fstat(fd).st_size, 0).decode("utf-8", "replace")


def done_count(worker: SimpleNamespace) -> int:
    return read(worker.out).splitlines().count(" [x] Done")


def stop_with_ctrl_c(worker: SimpleNamespace, channel) -> None:
    """SIGINT, as CTRL+C; then wait until the broker has seen its consumer go.

    Once the consumer is gone, the broker has put back every message the
    worker held unacknowledged: the queue's count then tells what was lost.
    """
    worker.process.send_signal(signal.SIGINT)
    worker.process.wait(TIMEOUT)
    assert wait_until(lambda: counts(channel, worker.queue)[1] == 0, TIMEOUT), \
        "the worker's consumer is still registered"
    time.sleep(0.2)


def stop_at_the_end(worker: SimpleNamespace) -> None:
    if worker.process.poll() is None:
        worker.process.kill()
        worker.process.wait(TIMEOUT)


@pytest.fixture(scope="module")
def publisher(broker):
    """A channel in confirm mode, for the tests of the worker."""
    conn = connection(broker.url)
    channel = conn.channel()
    channel.confirm_delivery()
    yield channel
    conn.close()


@pytest.fixture(scope="module")
def worker(broker, publisher):
    """ONE worker for all examples of property 3, on a fresh queue, deleted afterwards."""
    queue = fresh_queue_name()
    publisher.queue_declare(queue, durable=True)
    running = start_worker(broker.url, queue)
    try:
        yield running
    finally:
        stop_at_the_end(running)
        publisher.queue_delete(queue)


utf8_text = st.text(max_size=200)  # hypothesis's text has no lone surrogates: always UTF-8
bodies = st.one_of(
    utf8_text.map(lambda t: t.encode("utf-8")),
    st.just(b""),
    st.sampled_from([b"\x00", b"b'x\ny'", "caf\u00e9 task..".encode(), "Hello \U0001f407...".encode(),
                     b"line\r\nbreaks\n", b" [x] Done"]),
    st.integers(0, 2000).map(lambda n: b"." * n),                  # many dots: no time cap needed
    st.text(min_size=1000, max_size=20000).map(lambda t: t.encode("utf-8")),
)


@PROPERTY
@given(batch=st.lists(bodies, min_size=1, max_size=4))
def test_worker_takes_prints_does_and_acknowledges_every_message(worker, publisher, batch):
    for body in batch:
        publisher.basic_publish("", worker.queue, body,
                                pika.BasicProperties(delivery_mode=pika.DeliveryMode.Persistent),
                                mandatory=True)
        # One worker, one queue: it takes them in order and prints the tutorial's lines.
        worker.transcript += f" [x] Received {body.decode()}\n [x] Done\n"
    worker.published += len(batch)
    assert wait_until(lambda: counts(publisher, worker.queue)[0] == 0, TIMEOUT), \
        "the worker did not take every message"
    assert wait_until(lambda: read(worker.out) == worker.transcript, TIMEOUT), \
        f"expected ...{worker.transcript[-300:]!r}, printed ...{read(worker.out)[-300:]!r}"
    assert worker.process.poll() is None, f"the worker died: {read(worker.err)}"


def test_worker_stops_on_ctrl_c_having_acknowledged_everything(worker, publisher):
    """After property 3 (same worker): CTRL+C ends it cleanly, and nothing was unacknowledged."""
    assert worker.process.poll() is None, read(worker.err)
    assert worker.published > 0
    stop_with_ctrl_c(worker, publisher)
    out, err = read(worker.out), read(worker.err)
    assert worker.process.returncode == 0, err
    assert "Traceback" not in out and "Traceback" not in err, err
    assert out == worker.transcript + "Interrupted\n", out[-300:]
    assert counts(publisher, worker.queue)[0] == 0, "messages came back: left unacknowledged"


def test_the_unacknowledged_check_can_fail(broker, publisher):
    """The check above is not vacuous: a worker that forgets its acks leaves its message behind."""
    queue = fresh_queue_name()
    publisher.queue_declare(queue, durable=True)
    careless = start_worker(broker.url, queue, harness=["--forget-ack"])
    try:
        publisher.basic_publish("", queue, b"forgotten.", mandatory=True)
        assert wait_until(lambda: done_count(careless) == 1, TIMEOUT)
        assert counts(publisher, queue)[0] == 0  # taken, so not ready: only unacknowledged
        stop_with_ctrl_c(careless, publisher)
        assert careless.process.returncode == 0
        assert counts(publisher, queue)[0] == 1
    finally:
        stop_at_the_end(careless)
        publisher.queue_delete(queue)


@pytest.mark.parametrize("body", [b"\xff\xfe", b"caf\xe9 task..", b"\xed\xa0\x80"],
                         ids=["bom", "latin-1", "encoded-surrogate"])
def test_a_body_that_is_not_utf8_stops_the_worker_in_one_line_and_stays_in_the_queue(
        broker, publisher, body):
    """The tutorial's callback prints ``body.decode()``: a body that is not UTF-8 raises
    there, before the ack. The worker ends with one line; the task is not acked, so the
    broker keeps it, byte for byte."""
    queue = fresh_queue_name()
    publisher.queue_declare(queue, durable=True)
    stopped = start_worker(broker.url, queue)
    try:
        publisher.basic_publish("", queue, body, mandatory=True)
        assert wait_until(lambda: stopped.process.poll() is not None, TIMEOUT), read(stopped.out)
        out, err = read(stopped.out), read(stopped.err)
        assert stopped.process.returncode == 1
        assert out == WAITING
        assert "Traceback" not in err and len(err.strip().splitlines()) == 1, err
        assert err.startswith("error: worker.py line ") and \
            ", in callback: UnicodeDecodeError: 'utf-8' codec can't decode" in err, err
        assert wait_until(lambda: counts(publisher, queue) == (1, 0), TIMEOUT)
        assert publisher.basic_get(queue, auto_ack=True)[2] == body
    finally:
        stop_at_the_end(stopped)
        publisher.queue_delete(queue)


# --- bugs the properties found, each pinned by its exact input (all fixed) ----------------------

def unreachable_url(password: str, user: str = "guest", port: int = None) -> str:
    return f"amqp://{user}:{password}@127.0.0.1:{port or closed_port()}/%2F"


def assert_one_line_error(result: subprocess.CompletedProcess, *expected: str) -> str:
    out = result.stdout.decode("utf-8", "replace")
    err = result.stderr.decode("utf-8", "replace")
    assert result.returncode != 0
    assert "Traceback" not in out and "Traceback" not in err, err
    assert len(err.strip().splitlines()) == 1, err
    for text in expected:
        assert text in err, err
    return err


@pytest.mark.parametrize("module", ["new_task", "worker"])
def test_a_queue_name_too_long_for_amqp_is_refused_in_one_line(broker, module):
    queue = fresh_queue_name()
    long_name = "q" * 256
    args = ["--url", broker.url, "--queue-type", "classic", "--queue", queue, "--queue", long_name]
    try:
        result = run(module, args)
    finally:
        delete_queue(broker.url, queue)  # not created today (pika fails before sending)
    assert_one_line_error(result, "queue")


def test_a_dead_letter_queue_name_too_long_for_amqp_is_refused_by_the_harness_in_one_line():
    """--dead-letter-queue is the harness's now (lesson 2's demo), checked the same way."""
    result = run("harness", ["--dead-letter-queue", "q" * 256, programs.program("step2", "worker.py")],
                 env_url=unreachable_url("S3cret-dlq"))
    err = assert_one_line_error(result, "--dead-letter-queue", "at most 255 bytes")
    assert result.returncode == 2 and "cannot reach" not in err


@pytest.mark.parametrize("module", ["new_task", "worker"])
def test_an_empty_queue_name_is_refused_as_an_argument_mistake(module):
    result = run(module, ["--url", unreachable_url("S3cret-empty"), "--queue", ""])
    err = assert_one_line_error(result, "queue")
    assert "cannot reach" not in err


@pytest.mark.parametrize("module, args", [
    ("worker", ["junk\nword"]),
    ("new_task", ["-x\ny"]),
    ("worker", ["--re=\nx"]),
    ("worker", ["--url", "amqp://a%0Ab:S3cret-nl@127.0.0.1:{PORT}/"]),
    ("new_task", ["--url", "amqp://a%0Ab:S3cret-nl@127.0.0.1:{PORT}/"]),
])
def test_error_is_one_line_even_with_a_line_break_in_the_input(module, args):
    port = closed_port()
    result = run(module, with_port(args, port), env_url=unreachable_url("S3cret-nl", port=port))
    assert_one_line_error(result)


@pytest.mark.parametrize("module, args", [
    ("worker", ["{URL}"]),                                  # forgot --url
    ("worker", ["--ulr", "{URL}"]),                         # misspelt --url
    ("worker", ["--prefetch", "{URL}"]),                    # URL given to another option
    ("new_task", ["--queue-type", "{URL}"]),
    ("new_task", ["Hello", "--ulr", "{URL}"]),              # after the message's words
    ("worker", ["--url", "amqp://dept/alice:{PASSWORD}@127.0.0.1:{PORT}/"]),
    ("new_task", ["--url", "amqp://dept/alice:{PASSWORD}@127.0.0.1:{PORT}/"]),
])
def test_a_misplaced_url_is_not_printed_back(module, args):
    password, port = "S3cret-" + uuid.uuid4().hex[:10], closed_port()
    url = unreachable_url(password, port=port)
    args = [word.replace("{URL}", url).replace("{PASSWORD}", password) for word in args]
    result = run(module, with_port(args, port), env_url=unreachable_url("S3cret-env", port=port))
    assert_one_line_failure(result, password)


def test_the_error_names_the_port_that_was_tried():
    result = run("new_task", ["--url", "amqp://guest:S3cret-zero@127.0.0.1:0/%2F"])
    assert_one_line_error(result, "127.0.0.1:0 ")
