-- Operations: process heartbeats, token and agent lifecycle, sealed secrets bound to their row.
SELECT 1;
