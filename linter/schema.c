/* schema.c: field tables for the three kinds svclint models, and the walk over them. */
#include "schema.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "names.h"
#include "rule.h"

enum field_type {
	F_STRING,
	F_INT,
	F_BOOL,
	F_INT_OR_STRING,
	F_STRING_MAP,
	F_STRING_LIST,
	F_OBJECT,
	F_OBJECT_LIST,
	F_ANY,
};

struct field {
	const char *name;
	enum field_type type;
	const struct field *children;	/* F_OBJECT and F_OBJECT_LIST, terminated by a NULL name */
};

#define END { NULL, F_ANY, NULL }

static const struct field owner_reference[] = {
	{ "apiVersion", F_STRING, NULL }, { "blockOwnerDeletion", F_BOOL, NULL }, { "controller", F_BOOL, NULL },
	{ "kind", F_STRING, NULL }, { "name", F_STRING, NULL }, { "uid", F_STRING, NULL }, END
};

static const struct field object_meta[] = {
	{ "annotations", F_STRING_MAP, NULL }, { "creationTimestamp", F_ANY, NULL },
	{ "deletionGracePeriodSeconds", F_INT, NULL }, { "deletionTimestamp", F_ANY, NULL },
	{ "finalizers", F_STRING_LIST, NULL }, { "generateName", F_STRING, NULL }, { "generation", F_INT, NULL },
	{ "labels", F_STRING_MAP, NULL }, { "managedFields", F_ANY, NULL }, { "name", F_STRING, NULL },
	{ "namespace", F_STRING, NULL }, { "ownerReferences", F_OBJECT_LIST, owner_reference },
	{ "resourceVersion", F_STRING, NULL }, { "selfLink", F_STRING, NULL }, { "uid", F_STRING, NULL }, END
};

static const struct field service_port[] = {
	{ "appProtocol", F_STRING, NULL }, { "name", F_STRING, NULL }, { "nodePort", F_INT, NULL },
	{ "port", F_INT, NULL }, { "protocol", F_STRING, NULL }, { "targetPort", F_INT_OR_STRING, NULL }, END
};

static const struct field client_ip_config[] = { { "timeoutSeconds", F_INT, NULL }, END };
static const struct field session_affinity_config[] = { { "clientIP", F_OBJECT, client_ip_config }, END };

static const struct field service_spec[] = {
	{ "allocateLoadBalancerNodePorts", F_BOOL, NULL }, { "clusterIP", F_STRING, NULL },
	{ "clusterIPs", F_STRING_LIST, NULL }, { "externalIPs", F_STRING_LIST, NULL },
	{ "externalName", F_STRING, NULL }, { "externalTrafficPolicy", F_STRING, NULL },
	{ "healthCheckNodePort", F_INT, NULL }, { "internalTrafficPolicy", F_STRING, NULL },
	{ "ipFamilies", F_STRING_LIST, NULL }, { "ipFamilyPolicy", F_STRING, NULL },
	{ "loadBalancerClass", F_STRING, NULL }, { "loadBalancerIP", F_STRING, NULL },
	{ "loadBalancerSourceRanges", F_STRING_LIST, NULL }, { "ports", F_OBJECT_LIST, service_port },
	{ "publishNotReadyAddresses", F_BOOL, NULL }, { "selector", F_STRING_MAP, NULL },
	{ "sessionAffinity", F_STRING, NULL }, { "sessionAffinityConfig", F_OBJECT, session_affinity_config },
	{ "trafficDistribution", F_STRING, NULL }, { "type", F_STRING, NULL }, END
};

static const struct field port_status[] = {
	{ "error", F_STRING, NULL }, { "port", F_INT, NULL }, { "protocol", F_STRING, NULL }, END
};
static const struct field load_balancer_ingress[] = {
	{ "hostname", F_STRING, NULL }, { "ip", F_STRING, NULL }, { "ipMode", F_STRING, NULL },
	{ "ports", F_OBJECT_LIST, port_status }, END
};
static const struct field load_balancer_status[] = { { "ingress", F_OBJECT_LIST, load_balancer_ingress }, END };
static const struct field service_status[] = {
	{ "conditions", F_ANY, NULL }, { "loadBalancer", F_OBJECT, load_balancer_status }, END
};

static const struct field service[] = {
	{ "apiVersion", F_STRING, NULL }, { "kind", F_STRING, NULL }, { "metadata", F_OBJECT, object_meta },
	{ "spec", F_OBJECT, service_spec }, { "status", F_OBJECT, service_status }, END
};

static const struct field object_reference[] = {
	{ "apiVersion", F_STRING, NULL }, { "fieldPath", F_STRING, NULL }, { "kind", F_STRING, NULL },
	{ "name", F_STRING, NULL }, { "namespace", F_STRING, NULL }, { "resourceVersion", F_STRING, NULL },
	{ "uid", F_STRING, NULL }, END
};

static const struct field endpoint_address[] = {
	{ "hostname", F_STRING, NULL }, { "ip", F_STRING, NULL }, { "nodeName", F_STRING, NULL },
	{ "targetRef", F_OBJECT, object_reference }, END
};

static const struct field endpoint_port[] = {
	{ "appProtocol", F_STRING, NULL }, { "name", F_STRING, NULL }, { "port", F_INT, NULL },
	{ "protocol", F_STRING, NULL }, END
};

static const struct field endpoint_subset[] = {
	{ "addresses", F_OBJECT_LIST, endpoint_address }, { "notReadyAddresses", F_OBJECT_LIST, endpoint_address },
	{ "ports", F_OBJECT_LIST, endpoint_port }, END
};

static const struct field endpoints[] = {
	{ "apiVersion", F_STRING, NULL }, { "kind", F_STRING, NULL }, { "metadata", F_OBJECT, object_meta },
	{ "subsets", F_OBJECT_LIST, endpoint_subset }, END
};

static const struct field endpoint_conditions[] = {
	{ "ready", F_BOOL, NULL }, { "serving", F_BOOL, NULL }, { "terminating", F_BOOL, NULL }, END
};
static const struct field for_zone[] = { { "name", F_STRING, NULL }, END };
static const struct field endpoint_hints[] = {
	{ "forNodes", F_OBJECT_LIST, for_zone }, { "forZones", F_OBJECT_LIST, for_zone }, END
};
static const struct field endpoint[] = {
	{ "addresses", F_STRING_LIST, NULL }, { "conditions", F_OBJECT, endpoint_conditions },
	{ "deprecatedTopology", F_STRING_MAP, NULL }, { "hints", F_OBJECT, endpoint_hints },
	{ "hostname", F_STRING, NULL }, { "nodeName", F_STRING, NULL }, { "targetRef", F_OBJECT, object_reference },
	{ "zone", F_STRING, NULL }, END
};

static const struct field endpoint_slice[] = {
	{ "addressType", F_STRING, NULL }, { "apiVersion", F_STRING, NULL }, { "endpoints", F_OBJECT_LIST, endpoint },
	{ "kind", F_STRING, NULL }, { "metadata", F_OBJECT, object_meta }, { "ports", F_OBJECT_LIST, endpoint_port },
	END
};

/* The walk keeps the path as a stack and spells it out only for a finding: most objects have none. */
struct path_part {
	const char *name;	/* a key, or NULL for a list index */
	unsigned int index;
};

struct walk {
	struct arena *arena;
	schema_callback *found;
	void *data;
	struct path_part parts[32];
	unsigned int depth;
};

static void push_key(struct walk *w, const char *name)
{
	if (w->depth < 32)
		w->parts[w->depth].name = name;
	w->depth++;
}

static void push_index(struct walk *w, unsigned int index)
{
	if (w->depth < 32) {
		w->parts[w->depth].name = NULL;
		w->parts[w->depth].index = index;
	}
	w->depth++;
}

static void pop(struct walk *w)
{
	w->depth--;
}

/* "spec.ports[0].protocol", in the walk's arena. */
static const char *path_string(struct walk *w)
{
	size_t size = 1, n = 0;
	unsigned int i, depth = w->depth < 32 ? w->depth : 32;
	char *s;

	for (i = 0; i < depth; i++)
		size += w->parts[i].name ? strlen(w->parts[i].name) + 1 : 12;
	s = arena_alloc(w->arena, size);
	s[0] = '\0';
	for (i = 0; i < depth; i++) {
		if (w->parts[i].name)
			n += (size_t)snprintf(s + n, size - n, "%s%s", n ? "." : "", w->parts[i].name);
		else
			n += (size_t)snprintf(s + n, size - n, "[%u]", w->parts[i].index);
	}
	return s;
}

static const struct field *find_field(const struct field *fields, const struct node *key)
{
	const char *name = node_text(key);

	for (; name && fields->name; fields++)
		if (fields->name[0] == name[0] && strcmp(fields->name, name) == 0)
			return fields;
	return NULL;
}

static const char *closest(const struct field *fields, const char *name)
{
	const char *best = NULL;
	size_t best_d = 3;

	for (; fields->name; fields++) {
		size_t d = edit_distance(fields->name, name, 2);

		if (d < best_d) {
			best_d = d;
			best = fields->name;
		}
	}
	return best;
}

static const char *expected_name(enum field_type type)
{
	switch (type) {
	case F_STRING: return "a string";
	case F_INT: return "an integer";
	case F_BOOL: return "a boolean (true or false)";
	case F_INT_OR_STRING: return "an integer or a string";
	case F_STRING_MAP: return "a map of strings";
	case F_STRING_LIST: return "a list of strings";
	case F_OBJECT: return "a map";
	case F_OBJECT_LIST: return "a list";
	default: return "a value";
	}
}

static void report_type(struct walk *w, const struct node *value, const char *expected)
{
	struct schema_finding f;

	memset(&f, 0, sizeof(f));
	f.issue = SCHEMA_TYPE;
	f.at = value;
	f.path = path_string(w);
	f.expected = expected;
	w->found(w->data, &f);
}

static void walk_object(struct walk *w, const struct node *map, const struct field *fields);

/* Whether a scalar fits a string field: JSON strings only (numbers, booleans and nulls differ). */
static bool fits_string(const struct node *v)
{
	return node_is_string(v);
}

static void check_value(struct walk *w, const struct node *v, const struct field *f)
{
	unsigned int i;

	if (node_is_null(v) || f->type == F_ANY)
		return;
	switch (f->type) {
	case F_STRING:
		if (!fits_string(v))
			report_type(w, v, expected_name(f->type));
		break;
	case F_INT:
		if (!node_is_int(v))
			report_type(w, v, expected_name(f->type));
		break;
	case F_BOOL:
		if (!node_bool(v, NULL))
			report_type(w, v, expected_name(f->type));
		break;
	case F_INT_OR_STRING:
		if (!node_is_int(v) && !fits_string(v))
			report_type(w, v, expected_name(f->type));
		break;
	case F_STRING_MAP:
		if (!node_is_map(v)) {
			report_type(w, v, expected_name(f->type));
			break;
		}
		for (i = 0; i < v->count; i++) {
			const struct node *item = v->u.pairs[i].value;

			if (node_is_null(item) || fits_string(item))
				continue;
			push_key(w, node_text(v->u.pairs[i].key) ? node_text(v->u.pairs[i].key) : "?");
			report_type(w, item, "a string (quote it)");
			pop(w);
		}
		break;
	case F_STRING_LIST:
		if (!node_is_seq(v)) {
			report_type(w, v, expected_name(f->type));
			break;
		}
		for (i = 0; i < v->count; i++) {
			if (fits_string(v->u.items[i]))
				continue;
			push_index(w, i);
			report_type(w, v->u.items[i], "a string");
			pop(w);
		}
		break;
	case F_OBJECT:
		if (!node_is_map(v))
			report_type(w, v, expected_name(f->type));
		else
			walk_object(w, v, f->children);
		break;
	case F_OBJECT_LIST:
		if (!node_is_seq(v)) {
			report_type(w, v, expected_name(f->type));
			break;
		}
		for (i = 0; i < v->count; i++) {
			push_index(w, i);
			if (!node_is_map(v->u.items[i]))
				report_type(w, v->u.items[i], "a map");
			else
				walk_object(w, v->u.items[i], f->children);
			pop(w);
		}
		break;
	default:
		break;
	}
}

static void walk_object(struct walk *w, const struct node *map, const struct field *fields)
{
	unsigned int i;

	for (i = 0; i < map->count; i++) {
		const struct node *key = map->u.pairs[i].key;
		const struct field *f = find_field(fields, key);
		const char *name = node_text(key) ? node_text(key) : "?";

		push_key(w, name);
		if (!f) {
			struct schema_finding sf;

			memset(&sf, 0, sizeof(sf));
			sf.issue = SCHEMA_UNKNOWN;
			sf.at = key;
			sf.path = path_string(w);
			sf.suggestion = closest(fields, name);
			w->found(w->data, &sf);
		} else {
			check_value(w, map->u.pairs[i].value, f);
		}
		pop(w);
	}
}

static bool is_empty_map(const struct node *n)
{
	return !n || node_is_null(n) || (node_is_map(n) && n->count == 0);
}

void schema_check(const struct object *object, struct arena *arena, schema_callback *found, void *data)
{
	const struct field *top;
	const struct field *spec_fields = NULL;
	struct walk w;
	unsigned int i;

	memset(&w, 0, sizeof(w));
	w.arena = arena;
	w.found = found;
	w.data = data;
	switch (object->kind) {
	case KIND_SERVICE:
		top = service;
		spec_fields = service_spec;
		break;
	case KIND_ENDPOINTS:
		top = endpoints;
		break;
	case KIND_ENDPOINTSLICE:
		top = endpoint_slice;
		break;
	default:
		return;
	}
	if (!node_is_map(object->root))
		return;
	for (i = 0; i < object->root->count; i++) {
		const struct node *key = object->root->u.pairs[i].key;
		const struct field *f = find_field(top, key);
		const char *name = node_text(key) ? node_text(key) : "?";
		struct schema_finding sf;

		if (f) {
			push_key(&w, name);
			check_value(&w, object->root->u.pairs[i].value, f);
			pop(&w);
			continue;
		}
		memset(&sf, 0, sizeof(sf));
		sf.at = key;
		sf.path = name;
		if (find_field(object_meta, key)) {
			sf.issue = SCHEMA_MISPLACED;
			sf.belongs_under = "metadata";
			sf.parent_empty = is_empty_map(node_get(object->root, "metadata"));
		} else if (spec_fields && find_field(spec_fields, key)) {
			sf.issue = SCHEMA_MISPLACED;
			sf.belongs_under = "spec";
			sf.parent_empty = is_empty_map(node_get(object->root, "spec"));
		} else {
			sf.issue = SCHEMA_UNKNOWN;
			sf.suggestion = closest(top, name);
		}
		found(data, &sf);
	}
}

struct collected {
	struct schema_finding *items;
	size_t count, capacity;
};

static void collect(void *data, const struct schema_finding *finding)
{
	struct collected *c = data;

	GROW(c->items, c->capacity, c->count + 1);
	c->items[c->count++] = *finding;
}

void schema_check_shared(struct object_memo *memo, const struct object *object, struct arena *arena,
			 schema_callback *found, void *data)
{
	size_t i;

	if (!memo) {
		schema_check(object, arena, found, data);
		return;
	}
	if (!memo->schema_done) {
		struct collected c = { NULL, 0, 0 };
		struct schema_finding *kept = NULL;

		schema_check(object, arena, collect, &c);
		if (c.count) {
			kept = arena_alloc(arena, c.count * sizeof(*kept));
			memcpy(kept, c.items, c.count * sizeof(*kept));
		}
		free(c.items);
		memo->schema = kept;
		memo->schema_count = c.count;
		memo->schema_done = true;
	}
	for (i = 0; i < memo->schema_count; i++)
		found(data, &memo->schema[i]);
}
