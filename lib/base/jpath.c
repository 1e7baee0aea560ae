/* jpath.c: dotted-path lookups in jansson documents. */
#include "config.h"

#include <math.h>
#include <string.h>

#include "base/jpath.h"

json_t *
jpath(const json_t *doc, const char *path)
{
	char key[128];
	json_t *v = (json_t *)(uintptr_t)doc;

	while (v != NULL && *path != '\0') {
		const char *dot = strchr(path, '.');
		size_t len = dot ? (size_t)(dot - path) : strlen(path);

		if (len >= sizeof(key) || !json_is_object(v))
			return NULL;
		memcpy(key, path, len);
		key[len] = '\0';
		v = json_object_get(v, key);
		path = dot ? dot + 1 : path + len;
	}
	return v;
}

double
jpath_num(const json_t *doc, const char *path)
{
	const json_t *v = jpath(doc, path);

	return json_is_number(v) ? json_number_value(v) : NAN;
}

mt_ns
jpath_ns(const json_t *doc, const char *path)
{
	const json_t *v = jpath(doc, path);

	if (json_is_integer(v))
		return (mt_ns)json_integer_value(v);
	if (json_is_real(v) && fabs(json_real_value(v)) < 9e18)
		return (mt_ns)llround(json_real_value(v));
	return MT_NS_NONE;
}

json_t *
mt_json_num(double v)
{
	return isfinite(v) ? json_real(v) : json_null();
}
