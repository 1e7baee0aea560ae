# uncovered.jq: the values of an expected report (the input) that the
# truth ($truth, via --slurpfile) does not check, one line each:
# "PATH<TAB>VALUE", PATH with [] for any array index ("inputs[].packets").
# A value is checked when the truth has that path (truth.jq compares every
# leaf of the truth), or when the truth says the whole measure is absent
# (null) above it. Leaves are scalars, nulls and empty arrays or objects.
def name: map(if type == "number" then "[]" else "." + . end) | join("") | ltrimstr(".");

($truth[0] | del(.generator, .seed, .ext_file, .mgmt_file, .probe_bins)
 | if (.migration | type) == "object" then del(.migration.stream_rate_bps) else . end) as $t
| [$t | paths(type != "object")] as $tp
| [$t | paths(. == null)] as $tn
| . as $doc
| [paths(type != "object" and type != "array"), paths(. == [] or . == {})]
| unique[]
| . as $p
| select(($tp | index([$p])) == null)
| select([$tn[] | . as $q | $p[0:($q | length)] == $q] | any | not)
| "\($p | name)\t\($doc | getpath($p) | tojson)"
