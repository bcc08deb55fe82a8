"""Hostile input and faults (issue 7): a corpus of our own, real servers, real processes.

Where each case is tested:
- ``data/`` files (markup, escapes, bidi, scripts, billion laughs, encodings, absurd dates, missing
  fields, same guid in two feeds, one link under two guids, an HTML page): ``test_corpus`` — fetched
  from a loopback server by the CLI into SQLite; big cases (100k-character title, a 5 MB item,
  20,000 items) are generated at test time.
- Misbehaving servers (4xx/5xx, redirect loops, file:/javascript:/ftp: redirects, stall and reset
  mid-body, TLS to a plain port, 1 GB gzip/deflate/brotli bombs, escapes in a reason phrase):
  ``test_server``.
- Everything at once plus two good feeds, peak RSS and time bounded: ``test_all_at_once``.
- Bad config, newer schema, corrupt / read-only / full database: ``test_refusals``.
- ``kill -9`` mid-import, three times: ``test_kill``; mid-fetch from a loopback server (the process
  group with its parse workers), five times at different moments, also checking that no feed keeps an
  ETag / Last-Modified for items never stored: ``test_kill_fetch``; shared helpers: ``crash``.
- The app (Pilot, marking with its keys) and two editors' ``wiredesk mark`` processes on one database
  while a real ``wiredesk fetch`` runs: ``test_writers_during_fetch`` (the two-editors-and-a-fetcher
  process tests of the verdict issue are in ``tests/db/test_verdicts``).
- Hypothesis fuzzing: ``test_fuzz``.
- The app under Pilot over the hostile database: ``test_app``.
"""
