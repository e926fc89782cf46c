"""The Python half of examples/polyglot: activities that Weft flows call by name.

Run it beside `weft dev` or `weft run` (same Temporal server):

    python3 worker.py [--task-queue polyglot-python]

TEMPORAL_ADDRESS (default localhost:7233) and TEMPORAL_NAMESPACE (default "default") say where
the server is, as they do for weft. The activity names and the task queue match
weft.activities.yaml beside this file.
"""

import argparse
import asyncio
import os
import signal

from temporalio import activity
from temporalio.client import Client
from temporalio.worker import Worker


@activity.defn(name="compose_greeting")
async def compose_greeting(request: dict) -> dict:
    # The default convention: the step's `input` object is the one argument.
    return {"greeting": f"{request['salutation']}, {request['name']}!", "language": "python"}


@activity.defn(name="count_letter")
async def count_letter(text: str, letter: str) -> int:
    # Declared with `args: [text, letter]`: the input's members arrive as positional arguments.
    return text.count(letter)


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--task-queue", default="polyglot-python")
    options = parser.parse_args()
    client = await Client.connect(
        os.environ.get("TEMPORAL_ADDRESS", "localhost:7233"),
        namespace=os.environ.get("TEMPORAL_NAMESPACE", "default"),
    )
    worker = Worker(
        client,
        task_queue=options.task_queue,
        activities=[compose_greeting, count_letter],
    )
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    async with worker:
        print(f"python worker: polling {options.task_queue}", flush=True)
        await stop.wait()
    print("python worker: stopped", flush=True)


if __name__ == "__main__":
    asyncio.run(main())
