# truth.jq: compare a migtrace-analyze JSON report (the input) with the
# truth tests/mkpcap wrote ($truth, via --slurpfile); print one line per
# mismatch, nothing when every truth key holds.
#
# Every leaf of the truth is checked: timestamps (*_ns; tests/golden/
# common.sh's exact() has made them strings, as jq 1.6 would round them),
# (a short one, a handshake's round trip, stays a number: exact below
# 2^53), counts and bytes exactly; seconds (*_s) to 1 ns; rates (*_bps)
# and the utilisation to 1e-9 relative (quotients, rounded differently);
# arrays must have the same length.
# A measure the truth says is absent (null) may be null in the report or,
# as migtrace-analyze writes it, an object of nulls (interruption.method
# null, migration.flows 0).
def close($a; $b; $key):
  if ($key | endswith("_ns")) and ($b | type) == "number" then
    ($b | fabs) < 9007199254740992 and $a == $b
  elif ($a | type) != "number" or ($b | type) != "number" then $a == $b
  elif ($key | endswith("_bps")) or $key == "utilisation" then
    (($a - $b) | fabs) <= 1e-9 * ([($b | fabs), 1] | max)
  elif ($key | endswith("_s")) then (($a - $b) | fabs) <= 1e-9
  else $a == $b end;

(if (.interruption | type) == "object" and .interruption.method == null
 then .interruption = null else . end)
| (if (.migration | type) == "object" and (.migration.flows // 0) == 0
   then .migration = null else . end)
| . as $got
| $truth[0]
# probe_bins is the truth of the CSV timeline, not of the report.
| del(.generator, .seed, .ext_file, .mgmt_file, .probe_bins)
| (if (.migration | type) == "object" then del(.migration.stream_rate_bps) else . end)
| . as $t
| [paths(type != "object")][]
| . as $p
| ($t | getpath($p)) as $want
| (try ($got | getpath($p)) catch "(missing)") as $have
| ($p | map(tostring) | join(".")) as $name
| if ($want | type) == "array" then
    select(($have | type) != "array" or ($have | length) != ($want | length))
    | "\($name): got \($have | tojson), want \($want | length) elements"
  else
    select(close($have; $want; ($p | last | tostring)) | not)
    | "\($name): got \($have | tojson), want \($want | tojson)"
  end
