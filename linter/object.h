/* object.h: Kubernetes objects found in documents, with their identity and position.
 *
 * object_collect() walks a file's documents (kind: List items too) and appends one struct object
 * per manifest.  Objects point into the document trees, so they live as long as the arena that holds
 * those trees; object_keep() copies an object into a longer-lived arena.
 */
#ifndef SVCLINT_OBJECT_H
#define SVCLINT_OBJECT_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "doc.h"

enum object_kind {
	KIND_OTHER,
	KIND_SERVICE,		/* core/v1 Service */
	KIND_ENDPOINTS,		/* core/v1 Endpoints */
	KIND_ENDPOINTSLICE,	/* discovery.k8s.io/v1 EndpointSlice */
	KIND_SERVICEMONITOR,	/* monitoring.coreos.com/v1 ServiceMonitor */
	KIND_PROMETHEUS,	/* monitoring.coreos.com/v1 Prometheus */
	KIND_COUNT
};

struct backends;

/*
 * A kept Service's or ServiceMonitor's labels as texts (object_keep()): the rules over the index match
 * selectors against them and look them up, but never point at them, so the nodes, 48 bytes a label,
 * are not kept.  Every pair with a scalar key is there, in source order; lookups take the last of a
 * repeated key, as node_get() does.  Each label has a byte of LABEL_* flags: in the bytes beside the
 * count, which the items' alignment would leave unused, when there are up to LABEL_SET_INLINE labels
 * (most sets: 16 bytes a label and 8 for the set); else after the items.
 */
#define LABEL_SET_INLINE 7

struct label_set {
	unsigned char count;		/* at most LABEL_SET_MAX (object.c) */
	unsigned char flags[LABEL_SET_INLINE];
	struct label_text {
		const char *key;
		const char *value;	/* label_in_map()'s reading: "" when null, NULL for a list or map */
	} items[];
};

/*
 * A kept Service's spec.ports as records (object_keep()), when it is a list: the rules over the index
 * read them through ports_of_service() and point at their positions, never at their nodes.  Items
 * that are not maps are not records, but count in listed.  A record holds what struct port_ref
 * (ports.h) does in 48 bytes: the name's and targetPort's positions as lines after the map's (0: it
 * has none) and columns, each in 16 bits.  Lines of the map and of the list count from the Service's
 * own position (object->position), so that the Services written from one template have equal sets,
 * which they share (node_cached_record()).  A list one of whose ports does not fit (a number beyond 32
 * bits, a column past 65,535) is kept as nodes instead.
 */
struct port_record {
	const char *name;
	const char *protocol;
	const char *target_name;
	int32_t number;
	int32_t line;			/* the map's, after the Service's position (before it: negative) */
	unsigned short column;
	unsigned short target;
	unsigned short name_lines, name_column;	/* name_lines: 1 + lines after the map, 0 without one */
	unsigned short target_lines, target_column;
	bool protocol_set;
};

struct port_set {
	unsigned int count;		/* records */
	unsigned int listed;		/* items of the list */
	int32_t line;			/* the list's own position, its line as the records' */
	unsigned int column;
	struct port_record items[];
};

#define LABEL_KEY_STRING 0x1u	/* the key is a string (node_str()) */
#define LABEL_STRING 0x2u	/* the value is a string */
#define LABEL_NULL 0x4u		/* the value is null */
#define LABEL_COUNTS 0x8u	/* the value node_get() finds for this key: the pair is not overridden */

/* Scopes an object can be in (config scopes, 1 + the index of the first that covers its file). */
#define OBJECT_SCOPE_BITS 24
#define OBJECT_SCOPE_MAX ((1u << OBJECT_SCOPE_BITS) - 1)

/* What an object's apiVersion and kind say, split once.  The kept objects of one worker share one
 * per apiVersion and kind (object_keep()): a repository has a handful of them. */
struct object_type {
	const char *api_version;	/* "" when missing */
	const char *group;		/* "" for the core group */
	const char *version;
	const char *kind_name;		/* "" when missing */
};

/* The types object_keep() has given out, so that it can give them again. */
struct object_types {
	const struct object_type *items[16];
	unsigned int count, next;
	unsigned int last;	/* the one given last: objects of one type come together */
};

/*
 * A manifest.  A repository keeps one for each Service, Endpoints, EndpointSlice and ServiceMonitor
 * until its end (object_keep()), so what each holds counts: 88 bytes on 64-bit systems.  The helm
 * "# Source:" of its document, when it has one (has_template), follows the struct in the same
 * allocation: read it with object_template_source(), and copy an object with object_size() bytes.
 */
struct object {
	const char *file;		/* display path of the file that holds it */
	/* Two 32-bit words of bit-fields (a word of bools can take no more). */
	unsigned int kind : 4;		/* enum object_kind */
	bool in_context : 1;		/* loaded only to resolve references: report nothing on it */
	bool list_item : 1;		/* an item of a kind: List */
	bool namespace_explicit : 1;
	bool unique : 1;		/* the only object of its scope, kind, namespace and name (index) */
	bool labels_compact : 1;	/* its labels are a label_set (a kept Service or ServiceMonitor) */
	bool ports_compact : 1;		/* port_set holds its ports, and it has no root (a kept Service) */
	bool has_template : 1;		/* a template source follows it (object_template_source()) */
	bool relative_lines : 1;	/* its nodes' lines count from position.line (object_keep()) */
	unsigned int facts : 8;		/* what k8s_learn() worked out once (k8s.h), 0 before */
	unsigned int scope : OBJECT_SCOPE_BITS;	/* independent manifest set (config scopes); 0 by default */
	const struct object_type *type;	/* apiVersion and kind */
	const char *name;		/* "" when missing */
	const char *namespace;		/* explicit, or the default namespace */
	struct position position;	/* metadata.name's value, else the object's start */

	/* metadata.name's node is object_name_node(), metadata's object_metadata() and its annotations
	 * object_annotations(): rules on one object read them, and the index rules those of an Endpoints
	 * or EndpointSlice, whose kept root holds the annotations they name.  A kept object of another
	 * kind has no root: a kept Service's ports take its place when they are records (ports_compact;
	 * read them through object_port_set()). */
	union {
		const struct node *root;
		const struct port_set *port_set;
	};
	/* Labels: a map node, or for a kept Service or ServiceMonitor whose map was small the texts alone
	 * (labels_compact).  Rules over the index read them through the object_label*() functions; only
	 * an Endpoints' or EndpointSlice's, never compact, are read as labels. */
	union {
		const struct node *labels;
		const struct label_set *label_set;
	};
	const struct node *spec;

	/* Chains filled by the index: each link is the next object's position in index->objects + 1,
	 * or 0 at the chain's end (index_at() follows one).  What only EndpointSlices use and what only
	 * Services use share their bytes: a kept object costs what it holds, and a repository keeps
	 * many. */
	uint32_t next_same;		/* same scope, kind, namespace and name */
	uint32_t next_same_name;	/* same scope, kind and name, any namespace */
	union {
		struct {
			uint32_t next_for_service;	/* same scope, namespace and service-name label */
			uint32_t next_for_service_any;	/* same scope and service-name label */
		};				/* EndpointSlices */
		const struct backends *backends;	/* Services: worked out once (index.h), or NULL */
	};
};

/* A kept Service's ports as records, then not in its spec (ports_of_service() reads either); else NULL. */
static inline const struct port_set *object_port_set(const struct object *object)
{
	return object->ports_compact ? object->port_set : NULL;
}

/*
 * Where node n of object stands ({0, 0} for NULL): node_position(), but for a kept object, whose
 * nodes' lines count from its own line so that objects written from one template share them, the
 * line made absolute again.  n must be the object's own: a node of another kept object would be read
 * from this one's line (builds with SVCLINT_CHECK_NODES, as make sanitize's, abort when it is not).
 */
struct position object_node_position(const struct object *object, const struct node *n);

/* The helm "# Source:" of the object's document, or NULL. */
static inline const char *object_template_source(const struct object *object)
{
	const char *source;

	if (!object->has_template)
		return NULL;
	memcpy(&source, (const char *)object + sizeof(*object), sizeof(source));
	return source;
}

/* The bytes of the object's allocation: the struct, and the template source that may follow it. */
static inline size_t object_size(const struct object *object)
{
	return sizeof(*object) + (object->has_template ? sizeof(const char *) : 0);
}

struct object_list {
	struct object **items;
	size_t count, capacity;
};

struct collect_options {
	const char *default_namespace;
	const char *file;
	unsigned int scope;
	bool in_context;
};

/* Appends the objects of documents[0..count) to list; objects and their strings go in arena. */
void object_collect(struct object_list *list, struct arena *arena, const struct document *documents,
		    size_t count, const struct collect_options *options);

/* A copy of object whose tree lives in strings->arena, whose texts come from strings and whose nodes
 * and type are shared with equal ones kept before through cache (doc.h) and types, so it must never
 * be changed; its nodes' lines count from its own (relative_lines: object_node_position() reads
 * them).  It holds what rules over the index read.  An Endpoints or EndpointSlice keeps its
 * root with the top-level fields they read and metadata cut to labels, annotations the index rules
 * name and ownerReferences; each Endpoints address and each slice endpoint is an empty map at its
 * position (still counted; their families and Pods are in the object's facts); the other
 * modelled kinds keep spec and labels, with root NULL (and so no metadata or annotations).  A
 * Service's and a ServiceMonitor's spec keep only the fields the index rules read (of a ServiceMonitor
 * endpoint: port, targetPort and the files it reads), and a Service's selector with entries becomes
 * an empty map flagged NODE_SKIMMED at its position: whether the Service has one is in its facts
 * (k8s_learn(), which must run before).  A Service's and a ServiceMonitor's labels, up to 16 of
 * them, are kept as a label_set, and a Service's ports, when they fit, as a port_set instead of its
 * spec's ports (ports_of_service() reads either).  Kinds svclint does not model keep no tree. */
struct object *object_keep(struct string_pool *strings, struct node_cache *cache, struct object_types *types,
			   const struct object *object);

/* Whether object is a PrometheusAgent, which svclint does not model but keeps: it selects
 * ServiceMonitors too (the engine keeps what the ServiceMonitor rules ask for by this test). */
bool object_is_prometheus_agent(const struct object *object);

/* metadata, when it is a map; else NULL (always in a kept Service, ServiceMonitor or Prometheus). */
const struct node *object_metadata(const struct object *object);
/* The node of metadata.name, or NULL (always in a kept copy, which keeps o->position instead). */
const struct node *object_name_node(const struct object *object);

/* Label value of the object, or NULL when the label is absent, null or not a scalar. */
const char *object_label(const struct object *object, const char *key);
/* As label_in_map() reads it, for a selector: NULL when absent, "" when null, else the scalar's text.
 * object is a const struct object *: the signature is struct label_source's get (selector.h). */
const char *object_label_get(const void *object, const char *key);
/* The value when it is a string (node_str()), else NULL. */
const char *object_label_string(const struct object *object, const char *key);
struct selector;
/* Whether the object's labels match selector (selector_matches() over object_label_get()). */
bool object_matches(const struct selector *selector, const struct object *object);
/* Whether the object has the label, whatever its value. */
bool object_has_label(const struct object *object, const char *key);
/* How many labels the object has (pairs of its map): a bound on object_each_string_label()'s calls. */
size_t object_label_count(const struct object *object);
/* Calls fn for each label whose key and value are strings, in source order; of a repeated key only the
 * value that counts (the last, or one that is the same node). */
void object_each_string_label(const struct object *object,
			      void (*fn)(void *data, const char *key, const char *value), void *data);
/* metadata.annotations when it is a map, else NULL (a kept Service or ServiceMonitor has none). */
const struct node *object_annotations(const struct object *object);
const char *object_annotation(const struct object *object, const char *key);

/* "Service kube-system/etcd-prom" for messages, in arena. */
const char *object_describe(struct arena *arena, const struct object *object);

/* Whether a document root is a manifest at all: it has a kind, or an apiVersion and metadata. */
bool object_is_manifest(const struct node *root);

/* Whether objects of this kind (len bytes) are read by no rule beyond apiVersion, kind and metadata,
 * so that doc_parse_skimming() may skim the rest: not a kind svclint models (by name, whatever the
 * apiVersion), and not a List (its items are objects).  A naming policy may still read more. */
bool object_kind_is_skimmable(const char *kind, size_t len);

void object_list_release(struct object_list *list);

#endif
