"""Voicemail speaking time: our estimate next to espeak-ng reading the same words.

Run: ``.venv/bin/python benchmarks/speaking_time.py`` (needs ``espeak-ng``:
``apt-get install -y espeak-ng``).

Every bundled voicemail script is rendered for every demo prospect, on a
temporary database, and espeak-ng reads the text at 150 words a minute into a
WAV file whose length is the spoken time. The table shows both figures and how
far the estimate is from espeak-ng's; the run fails (status 1) when any
estimate is more than 15% off, and says so (status 2) when espeak-ng is missing.
A synthetic voice is not a rep, but it reads every word, digit and pause the
same way each time, which is what an estimate needs to be checked against.
"""

import shutil
import subprocess
import sys
import tempfile
import wave
from datetime import UTC, datetime
from pathlib import Path

from callassist.clock import fixed_clock
from callassist.core import CallDesk
from callassist.templates import WORDS_PER_MINUTE

ESPEAK = "espeak-ng"
TOLERANCE = 0.15
"""How far an estimate may be from espeak-ng's time, as a share of espeak-ng's."""
CLOCK = fixed_clock(datetime(2026, 3, 10, 15, 0, tzinfo=UTC))
"""A Tuesday afternoon: the same day words ("tomorrow") in every run."""

EXIT_OFF = 1
EXIT_NO_ESPEAK = 2


def spoken_seconds(espeak: str, text: str, folder: Path) -> float:
    """How long espeak-ng takes to say ``text`` at WORDS_PER_MINUTE."""
    script, sound = folder / "script.txt", folder / "script.wav"
    # From a file: a script starting with "-" would read as an option on the command line.
    script.write_text(text, encoding="utf-8")
    subprocess.run(
        [espeak, "-s", str(WORDS_PER_MINUTE), "-w", str(sound), "-f", str(script)],
        check=True,
        capture_output=True,
    )
    with wave.open(str(sound), "rb") as recording:
        return recording.getnframes() / recording.getframerate()


def main() -> int:
    espeak = shutil.which(ESPEAK)
    if espeak is None:
        print(
            f"speaking_time: {ESPEAK} is not installed, so there is nothing to compare with;"
            f" install it (apt-get install -y {ESPEAK}) and run this again",
            file=sys.stderr,
        )
        return EXIT_NO_ESPEAK
    rows: list[tuple[str, str, int, float, float]] = []
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        with CallDesk.open(
            folder / "demo.sqlite",
            clock=CLOCK,
            template_dir=folder / "scripts",
            backup_folder=folder / "backups",
            cadence_dir=folder / "cadences",
        ) as desk:
            desk.load_demo()
            voicemails = [s.name for s in desk.list_scripts() if s.channel == "voicemail"]
            for script in voicemails:
                for prospect in desk.prospects():
                    rendered = desk.render_script(script, prospect.id)
                    ours = rendered.speaking_seconds
                    assert ours is not None
                    theirs = spoken_seconds(espeak, rendered.text, folder)
                    rows.append(
                        (script, prospect.full_name, ours, theirs, (ours - theirs) / theirs)
                    )

    print(f"Voicemails read by {ESPEAK} at {WORDS_PER_MINUTE} words a minute\n")
    print("| script | prospect | estimate s | espeak s | difference % |")
    print("| --- | --- | ---: | ---: | ---: |")
    for script, who, ours, theirs, off in rows:
        print(f"| {script} | {who} | {ours} | {theirs:.1f} | {off:+.1%} |")
    print("\n| script | espeak s | worst difference % | over 30 s by espeak |")
    print("| --- | ---: | ---: | ---: |")
    for script in dict.fromkeys(row[0] for row in rows):
        mine = [row for row in rows if row[0] == script]
        spoken = [row[3] for row in mine]
        off = max((row[4] for row in mine), key=abs)
        over = sum(seconds > 30 for seconds in spoken)
        span = f"{min(spoken):.1f}-{max(spoken):.1f}"
        print(f"| {script} | {span} | {off:+.1%} | {over} of {len(mine)} |")
    worst = max(rows, key=lambda row: abs(row[4]))
    within = all(abs(row[4]) <= TOLERANCE for row in rows)
    over_30 = sum(row[3] > 30 for row in rows)
    print(
        f"\n{len(rows)} voicemails; espeak-ng {min(r[3] for r in rows):.1f}-"
        f"{max(r[3] for r in rows):.1f} s, estimate {min(r[2] for r in rows)}-"
        f"{max(r[2] for r in rows)} s; {over_30} over 30 s by espeak-ng"
    )
    print(f"Worst difference: {worst[4]:+.1%} ({worst[0]} for {worst[1]})")
    print(f"All within {TOLERANCE:.0%}: {'yes' if within else 'no'}")
    return 0 if within else EXIT_OFF


if __name__ == "__main__":
    sys.exit(main())
