/* schema.h: the fields the API knows in Service, Endpoints and EndpointSlice, and a walk that finds
 * unknown fields, fields of the wrong type, and fields that lost their indentation.
 *
 * The tables mirror k8s.io/api core/v1 and discovery/v1 types (JSON names, Go types).
 */
#ifndef SVCLINT_SCHEMA_H
#define SVCLINT_SCHEMA_H

#include "arena.h"
#include "object.h"

enum schema_issue {
	SCHEMA_UNKNOWN,		/* a key the API does not know at that place */
	SCHEMA_TYPE,		/* a value of the wrong type */
	SCHEMA_MISPLACED,	/* a top-level key that belongs under metadata or spec */
};

struct schema_finding {
	enum schema_issue issue;
	const struct node *at;		/* the key (unknown, misplaced) or the value (type) */
	const char *path;		/* "spec.ports[0].protocol" */
	const char *expected;		/* type: "an integer", "a map of strings"... */
	const char *suggestion;		/* unknown: the closest known field, or NULL */
	const char *belongs_under;	/* misplaced: "metadata" or "spec" */
	bool parent_empty;		/* misplaced: metadata/spec is missing or empty */
};

typedef void schema_callback(void *data, const struct schema_finding *finding);

/* Walks object (Service, Endpoints or EndpointSlice; others are ignored) and calls found per finding. */
void schema_check(const struct object *object, struct arena *arena, schema_callback *found, void *data);

/* schema_check(), but the object is walked once however many rules ask: the first call keeps the
 * findings in memo (their texts in arena, which must outlive it), later calls replay them.  With a
 * NULL memo it is schema_check(). */
struct object_memo;
void schema_check_shared(struct object_memo *memo, const struct object *object, struct arena *arena,
			 schema_callback *found, void *data);

#endif
