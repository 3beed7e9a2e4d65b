# Turns bench/run's per-run measurements into rows of its table.
#
#   awk -F'\t' -v kind=KIND -v scenario=NAME -v label='1 filter-overhead' [-v a=SIDE -v b=SIDE ...] -f bench/report.awk runs.tsv
#
# runs.tsv: scenario, side, round (0 = warm-up, never reported), req/s, p50, p90, p99, max (µs),
# requests, status errors (answers >= 400), socket errors, store lookups during the run,
# decisions during the run, nanoseconds spent deciding during the run, server CPU µs per request
# (user + system time of the server JVM over the run / requests; -1 when not measured), wall seconds
# between the two reads of the server's stats.
#
# Each row printed: ROW, scenario label, measure, values, target, verdict (PASS/MISS on the median
# of the rounds, "-" when there is no target). "min / median / max" are over the measured rounds.
#
# kinds: compare (a vs b: throughput ratio b/a, latency added by b), sides (req/s and latency of
#        each side in "sides"), lookups (store lookups of side a in all its runs, warm-up included,
#        against an optional bound),
#        answers (valid sides all 2xx, flood sides all refused, no socket errors),
#        decisions (cold side a: lookups per request, mean decision time under load),
#        verify (in-server timing rows of side a: p50, p99 with target p99_max),
#        lookup-rate (store lookups per second of side a in each round, over the wall time between the two
#        reads of the server's stats, against an optional bound on the highest)

function fmt(v,   a) {
  a = v < 0 ? -v : v
  if (a >= 1000 || v == int(v)) return sprintf("%.0f", v)
  if (a >= 10) return sprintf("%.1f", v)
  return sprintf("%.3f", v)
}

# Sorts vals[1..n] in place; sets MIN, MED, MAX and returns "min / median / max".
function spread(vals, n,   i, j, t) {
  for (i = 2; i <= n; i++) { t = vals[i]; for (j = i - 1; j >= 1 && vals[j] > t; j--) vals[j + 1] = vals[j]; vals[j + 1] = t }
  MIN = vals[1]; MAX = vals[n]
  MED = (n % 2 == 1) ? vals[(n + 1) / 2] : (vals[n / 2] + vals[n / 2 + 1]) / 2
  return fmt(MIN) " / " fmt(MED) " / " fmt(MAX)
}

function row(measure, values, target, verdict) {
  print "ROW", label, measure, values, (target == "" ? "-" : target), (verdict == "" ? "-" : verdict)
}

function side_values(side, field, out,   r, n) {
  n = 0
  for (r = 1; r <= maxround; r++) if ((side, r) in rps) { n++; out[n] = (field == "rps") ? rps[side, r] : (field == "p50") ? p50[side, r] : (field == "p99") ? p99[side, r] : (field == "lookups") ? lookups[side, r] : 0 }
  return n
}

BEGIN { OFS = "\t"; maxround = 0 }

$1 == scenario && $3 == 0 { warmup_lookups[$2] += $12 }

$1 == scenario && $3 > 0 {
  s = $2; r = $3 + 0
  rps[s, r] = $4; p50[s, r] = $5; p99[s, r] = $7; requests[s, r] = $9; status[s, r] = $10; socket[s, r] = $11
  lookups[s, r] = $12; decided[s, r] = $13; decide_ns[s, r] = $14; cpu[s, r] = ($15 == "" ? -1 : $15 + 0); wall[s, r] = ($16 == "" ? 0 : $16 + 0)
  if (r > maxround) maxround = r
}

END {
  if (maxround == 0) { row("no measured rounds", "-", "", "MISS"); exit }
  what = " (min / median / max of " maxround " rounds)"
  if (kind == "compare") {
    n = 0
    for (r = 1; r <= maxround; r++) if (((a, r) in rps) && ((b, r) in rps)) {
      n++; ratio[n] = rps[b, r] / rps[a, r]; d50[n] = p50[b, r] - p50[a, r]; d99[n] = p99[b, r] - p99[a, r]
    }
    v = spread(ratio, n)
    if (ratio_min != "") row("throughput " b " / " a what, v, ">= " ratio_min, MED >= ratio_min + 0 ? "PASS" : "MISS")
    else row("throughput " b " / " a what, v, "", "")
    row("p50 latency added by " b ", µs" what, spread(d50, n), "", "")
    m = 0
    for (r = 1; r <= maxround; r++) if (((a, r) in rps) && ((b, r) in rps) && cpu[a, r] > 0 && cpu[b, r] > 0) {
      m++; ca[m] = cpu[a, r]; cb[m] = cpu[b, r]; dc[m] = cpu[b, r] - cpu[a, r]
    }
    if (m > 0) {
      va = spread(ca, m); vb = spread(cb, m)
      row("server CPU per request, µs: " a " " va "; " b, vb, "", "")
      row("server CPU per request added by " b ", µs" what, spread(dc, m), "", "")
    }
    v = spread(d99, n)
    if (p99_added_max != "") row("p99 latency added by " b ", µs" what, v, "<= " p99_added_max, MED <= p99_added_max + 0 ? "PASS" : "MISS")
    else row("p99 latency added by " b ", µs" what, v, "", "")
  } else if (kind == "sides") {
    ns = split(sides, list, " ")
    for (i = 1; i <= ns; i++) {
      s = list[i]
      n = side_values(s, "rps", vals); row("req/s, " s what, spread(vals, n), "", "")
      n = side_values(s, "p50", vals); v50 = spread(vals, n)
      n = side_values(s, "p99", vals); v99 = spread(vals, n)
      row("latency " s ", µs: p50 " v50 "; p99", v99, "", "")
    }
  } else if (kind == "lookups") {
    n = side_values(a, "lookups", vals); total = warmup_lookups[a] + 0
    for (i = 1; i <= n; i++) total += vals[i]
    v = total " in all runs incl. warm-up (per measured round " spread(vals, n) ")"
    if (bound != "") row("store lookups caused by " a (bound_text != "" ? "; bound: " bound_text : ""), v, "<= " bound, (total <= bound + 0) ? "PASS" : "MISS")
    else row("store lookups caused by " a, v, "", "")
  } else if (kind == "lookup-rate") {
    n = 0
    for (r = 1; r <= maxround; r++) if (((a, r) in rps) && wall[a, r] > 0) { n++; per[n] = lookups[a, r] / wall[a, r] }
    v = spread(per, n)
    if (bound != "") row("store lookups per second, " a (bound_text != "" ? "; bound: " bound_text : "") what, v, "<= " bound, (MAX <= bound + 0) ? "PASS" : "MISS")
    else row("store lookups per second, " a what, v, "", "")
  } else if (kind == "answers") {
    bad = 0; detail = ""
    nv = split(valid, vlist, " "); nr = split(refused, rlist, " ")
    for (r = 1; r <= maxround; r++) {
      for (i = 1; i <= nv; i++) if ((vlist[i], r) in rps) { bad += status[vlist[i], r] + socket[vlist[i], r] }
      for (i = 1; i <= nr; i++) if ((rlist[i], r) in rps) { bad += (requests[rlist[i], r] - status[rlist[i], r]) + socket[rlist[i], r] }
    }
    row("unexpected answers (valid: non-2xx; flood: 2xx) and socket errors, all rounds", bad, "0", bad == 0 ? "PASS" : "MISS")
  } else if (kind == "decisions") {
    n = 0
    for (r = 1; r <= maxround; r++) if (((a, r) in rps) && requests[a, r] > 0) { n++; per[n] = lookups[a, r] / requests[a, r]; if (decided[a, r] > 0) { m++; mean[m] = decide_ns[a, r] / decided[a, r] / 1000 } }
    row("store lookups per request, " a what, spread(per, n), "", "")
    if (m > 0) row("mean decision time under load (globalgate.auth.duration), " a ", µs" what, spread(mean, m), "", "")
  } else if (kind == "verify") {
    n = side_values(a, "p50", vals); row("decision p50 in-process, " a ", µs" what, spread(vals, n), "", "")
    n = side_values(a, "p99", vals); v = spread(vals, n)
    if (p99_max != "") row("decision p99 in-process, " a ", µs" what, v, "<= " p99_max, MED <= p99_max + 0 ? "PASS" : "MISS")
    else row("decision p99 in-process, " a ", µs" what, v, "", "")
  }
}
