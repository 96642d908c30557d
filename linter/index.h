/* index.h: every object of the run, keyed by scope, kind, namespace, name and service-name label.
 *
 * The index borrows the objects it is given (they must outlive it) and links them through their
 * next_* chains.  Pairing follows Kubernetes (k8s-semantics.md §2.1, §3.1, §4): an Endpoints pairs
 * with the Service of the same namespace and name, an EndpointSlice with the Service named by its
 * kubernetes.io/service-name label in its namespace.  When no exact partner exists, a partner whose
 * namespace differs only because one side leaves metadata.namespace unset is returned as ambiguous.
 */
#ifndef SVCLINT_INDEX_H
#define SVCLINT_INDEX_H

#include <stdint.h>
#include <string.h>

#include "object.h"

struct index_table;

struct index {
	struct object **objects;	/* all objects, in input order (within each kind, when grouped) */
	size_t count;
	struct object **by_kind[KIND_COUNT];	/* each kind's objects, in input order */
	bool by_kind_shared;		/* by_kind points into objects (grouped by kind), not malloc'd */
	size_t kind_count[KIND_COUNT];
	size_t unset_count[KIND_COUNT];	/* of those, without metadata.namespace */
	/* by_kind[k] ordered by scope, namespace, input order, as positions in by_kind[k]: 4 bytes an
	 * object where pointers were 8 (and Services had both, 1.7 MB in all at 100,000 apps). */
	uint32_t *namespace_order[KIND_COUNT];
	struct index_table *table;
	struct backends *backends;	/* the backends of the Services that have any, worked out once */
	struct pairing *backend_slices;	/* the slices those point into */
	struct backends *no_backends;	/* what every other Service points to: none */
	bool backends_known;
	struct near_cache *near;	/* index_near_keys()'s, made when searches need them */
};

/*
 * What a search for near misses (k8s_near_misses()) needs to know of a name to pass over it without
 * reading its object: its length, first and last three bytes, and which classes of characters it holds.
 * Two names can differ only in case, by an affix or by at most two edits only when
 * near_key_may_match() says so of their keys.
 */
struct near_key {
	uint16_t length;		/* NEAR_KEY_UNKNOWN: no name, or one of 0xFFFF bytes or more */
	unsigned char head[3], tail[3];	/* its first and last three bytes (fewer: 0 after them) */
	uint32_t classes;		/* bit per class: a-z (either case), five of digits, the rest */
};

#define NEAR_KEY_UNKNOWN 0xFFFF

void near_key_make(struct near_key *key, const char *name);
/*
 * False only when no rank of k8s_name_likeness() can hold between the names: equal but for case needs
 * the same length and classes; an affix (of at least 3 bytes) the same first or last three bytes; two
 * edits at most a length within 2 and at most 4 classes held by one name only (an edit adds one class
 * and takes one away, at most).  Inline: a search may ask it of every name of a namespace.
 */
static inline bool near_key_may_match(const struct near_key *a, const struct near_key *b)
{
	unsigned int la = a->length, lb = b->length, shorter = la < lb ? la : lb;
	unsigned int apart = la < lb ? lb - la : la - lb, differ = 0;
	uint32_t odd = a->classes ^ b->classes;

	if (la == NEAR_KEY_UNKNOWN || lb == NEAR_KEY_UNKNOWN)
		return true;
	if (apart == 0 && !odd)
		return true;
	if (apart && shorter >= 3 && (memcmp(a->head, b->head, 3) == 0 || memcmp(a->tail, b->tail, 3) == 0))
		return true;
	if (apart > 2)
		return false;
	for (; odd && differ <= 4; odd &= odd - 1)
		differ++;
	return differ <= 4;
}

/*
 * The keys of kind's objects in namespace order (for an EndpointSlice, of its service-name label)
 * for a search about to read `reading` names of it, or NULL: then it reads them without keys.  They
 * are made once the searches have read many times as many names as the kind holds (any thread may
 * ask; one makes them), and kept with the index.
 */
const struct near_key *index_near_keys(const struct index *index, enum object_kind kind, size_t reading);

#define SERVICE_NAME_LABEL "kubernetes.io/service-name"

/* Builds the index over objects[0..count); the array is borrowed.  Grouped by kind (all of KIND_OTHER
 * first, then KIND_SERVICE ..., each in input order), it serves as by_kind too. */
void index_build(struct index *index, struct object **objects, size_t count);
void index_release(struct index *index);

/* The object a chain link of struct object names, or NULL at the end of the chain. */
static inline struct object *index_at(const struct index *index, uint32_t link)
{
	return link ? index->objects[link - 1] : NULL;
}

/* The first object of that kind, namespace and name in scope; others follow ->next_same. */
struct object *index_find(const struct index *index, unsigned int scope, enum object_kind kind,
			  const char *namespace, const char *name);
/* The first object of that kind and name in scope in any namespace; others follow ->next_same_name. */
struct object *index_find_any_namespace(const struct index *index, unsigned int scope, enum object_kind kind,
					const char *name);
/* The object at place i of kind's namespace order. */
static inline struct object *index_by_namespace(const struct index *index, enum object_kind kind, size_t i)
{
	return index->by_kind[kind][index->namespace_order[kind][i]];
}

/* The objects of kind in scope and namespace: index_by_namespace() of [*from, *to), in input order. */
void index_namespace_range(const struct index *index, enum object_kind kind, unsigned int scope,
			   const char *namespace, size_t *from, size_t *to);
/* The first EndpointSlice labelled for service in any namespace; others follow ->next_for_service_any. */
struct object *index_slices_any_namespace(const struct index *index, unsigned int scope, const char *service);
/* The first EndpointSlice labelled for service in namespace; others follow ->next_for_service. */
struct object *index_slices_for(const struct index *index, unsigned int scope, const char *namespace,
				const char *service);

struct pairing {
	struct object *object;	/* the partner, or NULL */
	bool ambiguous;		/* found only across an unset namespace */
};

/* The Service a backend (Endpoints or EndpointSlice) belongs to. */
struct pairing index_service_of(const struct index *index, const struct object *backend);

struct backends {
	struct pairing endpoints;	/* the Endpoints named like the Service */
	struct pairing *slices;		/* the EndpointSlices labelled for it */
	size_t slice_count;
};

/* The hand-written or generated backends of a Service; release with backends_release(). */
void index_backends_of(const struct index *index, const struct object *service, struct backends *out);
void backends_release(struct backends *backends);

/* Whether two objects may pair across namespaces because exactly one leaves its namespace unset. */
bool namespace_ambiguous(const struct object *a, const struct object *b);

#endif
