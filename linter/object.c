/* object.c: documents to Kubernetes objects, kind: List included. */
#include "object.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ports.h"
#include "selector.h"

bool object_is_manifest(const struct node *root)
{
	/* apiVersion alone is not enough: Helm's index.yaml and Chart.yaml carry one too. */
	return node_is_map(root) && (node_get(root, "kind") ||
				     (node_get(root, "apiVersion") && node_get(root, "metadata")));
}

static const char *scalar_or_empty(const struct node *n)
{
	const char *t = node_text(n);

	return t && !node_is_null(n) ? t : "";
}

/* A kind named here must also be named in object_kind_is_skimmable(). */
static enum object_kind classify(const char *group, const char *version, const char *kind)
{
	if (group[0] == '\0' && strcmp(version, "v1") == 0) {
		if (strcmp(kind, "Service") == 0)
			return KIND_SERVICE;
		if (strcmp(kind, "Endpoints") == 0)
			return KIND_ENDPOINTS;
	}
	if (strcmp(group, "discovery.k8s.io") == 0 && strcmp(version, "v1") == 0 &&
	    strcmp(kind, "EndpointSlice") == 0)
		return KIND_ENDPOINTSLICE;
	if (strcmp(group, "monitoring.coreos.com") == 0 && strcmp(version, "v1") == 0) {
		if (strcmp(kind, "ServiceMonitor") == 0)
			return KIND_SERVICEMONITOR;
		if (strcmp(kind, "Prometheus") == 0)
			return KIND_PROMETHEUS;
	}
	return KIND_OTHER;
}

bool object_is_prometheus_agent(const struct object *object)
{
	return strcmp(object->type->group, "monitoring.coreos.com") == 0 &&
	       strcmp(object->type->kind_name, "PrometheusAgent") == 0;
}

bool object_kind_is_skimmable(const char *kind, size_t len)
{
	/* The kind names classify() knows, whatever their apiVersion: unsupported-api-version reads those. */
	static const char *const modelled[] = {
		"Service", "Endpoints", "EndpointSlice", "ServiceMonitor", "Prometheus",
	};
	size_t i;

	for (i = 0; i < sizeof(modelled) / sizeof(modelled[0]); i++)
		if (strlen(modelled[i]) == len && memcmp(kind, modelled[i], len) == 0)
			return false;
	return !(len >= 4 && memcmp(kind + len - 4, "List", 4) == 0);
}

/* values[k] = the value of keys[k] in map (the last when a key repeats, as node_get() answers), or
 * NULL: one pass over the map for all of them. */
static void get_fields(const struct node *map, const char *const *keys, const size_t *lengths, size_t n,
		       const struct node **values)
{
	unsigned int i;
	size_t k;

	for (k = 0; k < n; k++)
		values[k] = NULL;
	if (!node_is_map(map))
		return;
	for (i = 0; i < map->count; i++) {
		const struct node *key = map->u.pairs[i].key;

		if (key->type != NODE_SCALAR)
			continue;
		for (k = 0; k < n; k++)
			if (key->count == lengths[k] && memcmp(key->u.text, keys[k], lengths[k]) == 0)
				values[k] = map->u.pairs[i].value;
	}
}

/* What object.h says a kept object costs (a repository keeps one per Service, Endpoints, slice and
 * ServiceMonitor): a field added must earn its bytes. */
_Static_assert(sizeof(void *) != 8 || sizeof(struct object) == 88, "struct object grew past 88 bytes");

enum { ROOT_API_VERSION, ROOT_KIND, ROOT_METADATA, ROOT_SPEC, ROOT_FIELDS };
enum { META_NAME, META_GENERATE_NAME, META_NAMESPACE, META_LABELS, META_ANNOTATIONS, META_FIELDS };

static void add_object(struct object_list *list, struct arena *arena, const struct node *root,
		       struct position start, bool list_item,
		       const char *template_source, const struct collect_options *options)
{
	static const char *const root_keys[ROOT_FIELDS] = { "apiVersion", "kind", "metadata", "spec" };
	static const size_t root_lengths[ROOT_FIELDS] = { 10, 4, 8, 4 };
	static const char *const meta_keys[META_FIELDS] = {
		"name", "generateName", "namespace", "labels", "annotations",
	};
	static const size_t meta_lengths[META_FIELDS] = { 4, 12, 9, 6, 11 };
	struct object *o = arena_zalloc(arena, sizeof(*o) + (template_source ? sizeof(template_source) : 0));
	struct object_type *type;
	const struct node *top[ROOT_FIELDS], *meta[META_FIELDS], *ns, *name;
	const char *slash;

	o->file = options->file;
	o->scope = options->scope;
	o->in_context = options->in_context;
	o->list_item = list_item;
	if (template_source) {
		o->has_template = true;
		memcpy((char *)o + sizeof(*o), &template_source, sizeof(template_source));
	}
	o->root = root;
	get_fields(root, root_keys, root_lengths, ROOT_FIELDS, top);
	type = arena_alloc(arena, sizeof(*type));
	type->api_version = scalar_or_empty(top[ROOT_API_VERSION]);
	type->kind_name = scalar_or_empty(top[ROOT_KIND]);
	slash = strchr(type->api_version, '/');
	if (slash) {
		type->group = arena_strndup(arena, type->api_version, (size_t)(slash - type->api_version));
		type->version = slash + 1;
	} else {
		type->group = "";
		type->version = type->api_version;
	}
	o->type = type;
	o->kind = classify(type->group, type->version, type->kind_name);
	get_fields(node_is_map(top[ROOT_METADATA]) ? top[ROOT_METADATA] : NULL, meta_keys, meta_lengths, META_FIELDS,
		   meta);
	name = meta[META_NAME];
	o->name = node_is_scalar(name) && !node_is_null(name) ? node_text(name) : "";
	ns = meta[META_NAMESPACE];
	if (node_is_scalar(ns) && !node_is_null(ns) && ns->count > 0) {
		o->namespace = node_text(ns);
		o->namespace_explicit = true;
	} else {
		o->namespace = options->default_namespace;
	}
	o->labels = node_is_map(meta[META_LABELS]) ? meta[META_LABELS] : NULL;
	o->spec = top[ROOT_SPEC];
	o->position = node_is_scalar(name) ? node_position(name) : start;
	GROW(list->items, list->capacity, list->count + 1);
	list->items[list->count++] = o;
}

static bool is_list_kind(const struct node *root)
{
	const char *kind = node_text(node_get(root, "kind"));
	size_t n = kind ? strlen(kind) : 0;

	return n >= 4 && strcmp(kind + n - 4, "List") == 0 && node_is_seq(node_get(root, "items"));
}

void object_collect(struct object_list *list, struct arena *arena, const struct document *documents,
		    size_t count, const struct collect_options *options)
{
	size_t d, i;

	for (d = 0; d < count; d++) {
		const struct node *root = documents[d].root;

		if (!object_is_manifest(root))
			continue;
		if (is_list_kind(root)) {
			const struct node *items = node_get(root, "items");

			for (i = 0; i < items->count; i++) {
				const struct node *item = items->u.items[i];

				if (object_is_manifest(item))
					add_object(list, arena, item, node_position(item), true,
						   documents[d].source_comment, options);
			}
			continue;
		}
		add_object(list, arena, root, node_position(root), false,
			   documents[d].source_comment, options);
	}
}

/* metadata keys the index rules read.  Name and namespace are in struct object already (with the
 * name's position); server fields such as uid are read only by rules on one object, which see the
 * whole tree. */
static bool keep_metadata_key(const char *key)
{
	return strcmp(key, "labels") == 0 || strcmp(key, "annotations") == 0 || strcmp(key, "ownerReferences") == 0;
}

/* Annotations the index rules read: the leader lock (never mirrored) and the over-capacity mark. */
static bool keep_annotation(const char *key)
{
	return strcmp(key, "control-plane.alpha.kubernetes.io/leader") == 0 ||
	       strcmp(key, "endpoints.kubernetes.io/over-capacity") == 0;
}

static bool key_in(const char *key, const char *const *keys, size_t count)
{
	size_t i;

	for (i = 0; i < count; i++)
		if (strcmp(key, keys[i]) == 0)
			return true;
	return false;
}

/* Top-level fields the rules over the index read.  apiVersion and kind are in struct object; status,
 * data and the rest are read only by rules on one object, which see the whole tree. */
static bool keep_root_key(const char *key)
{
	static const char *const keys[] = { "metadata", "spec", "subsets", "addressType", "endpoints", "ports" };

	return key_in(key, keys, sizeof(keys) / sizeof(keys[0]));
}

/* Of an Endpoints subset, what the rules over the index read: its addresses (how many, their
 * families, whether they are Pods) and its ports. */
static bool keep_subset_key(const char *key)
{
	static const char *const keys[] = { "addresses", "notReadyAddresses", "ports" };

	return key_in(key, keys, sizeof(keys) / sizeof(keys[0]));
}

/* Of an Endpoints address or an EndpointSlice endpoint, nothing but where it is.  The rules over the
 * index count them, and ask their IP families and whether one is a Pod, which k8s_learn() worked out
 * before the copy (endpoints_address_families(), backend_has_pod()); their addresses, conditions,
 * host names and zones are read only by rules on the one object. */
static bool keep_none(const char *key)
{
	(void)key;
	return false;
}

/* Of a Service's spec, the fields the rules over the index read: its ports, what makes it headless,
 * ExternalName or dual-stack, and where its selector is.  The rest (sessionAffinity, traffic
 * policies, load balancer settings) is read only by rules on one object. */
static bool keep_service_spec_key(const char *key)
{
	static const char *const keys[] = { "ports", "selector", "type", "clusterIP", "clusterIPs", "ipFamilies",
					    "ipFamilyPolicy", "externalName" };

	return key_in(key, keys, sizeof(keys) / sizeof(keys[0]));
}

/* The same without its ports, when they are kept as records (keep_ports()). */
static bool keep_service_spec_rest(const char *key)
{
	return strcmp(key, "ports") != 0 && keep_service_spec_key(key);
}

/* Of a Service port, what the rules over the index read (nodePort and appProtocol are checked on the
 * one object). */
static bool keep_service_port_key(const char *key)
{
	static const char *const keys[] = { "name", "port", "protocol", "targetPort" };

	return key_in(key, keys, sizeof(keys) / sizeof(keys[0]));
}

/* Of a ServiceMonitor's spec, what the rules over the index read: whom it selects, through which
 * role, and its endpoints.  jobLabel, targetLabels, limits and the rest are read only on the one
 * object. */
static bool keep_monitor_spec_key(const char *key)
{
	static const char *const keys[] = { "selector", "selectorMechanism", "namespaceSelector",
					    "serviceDiscoveryRole", "endpoints" };

	return key_in(key, keys, sizeof(keys) / sizeof(keys[0]));
}

/* Of a ServiceMonitor endpoint, the port it names and the files it reads in the Prometheus pod;
 * interval, path, relabelings and the rest are read only on the one object. */
static bool keep_monitor_endpoint_key(const char *key)
{
	static const char *const keys[] = { "port", "targetPort", "bearerTokenFile", "tlsConfig" };

	return key_in(key, keys, sizeof(keys) / sizeof(keys[0]));
}

/* Of an endpoint's tlsConfig, the files it reads. */
static bool keep_tls_file_key(const char *key)
{
	static const char *const keys[] = { "caFile", "certFile", "keyFile" };

	return key_in(key, keys, sizeof(keys) / sizeof(keys[0]));
}

typedef bool keep_fn(const char *key);

/* How the value of a key that keep() accepts is copied: cut by a filter of its own (for a list, each
 * of its maps is), or whole when this answers NULL. */
static keep_fn *value_filter(keep_fn *keep, const char *key)
{
	if (keep == keep_root_key) {
		if (strcmp(key, "metadata") == 0)
			return keep_metadata_key;
		if (strcmp(key, "subsets") == 0)
			return keep_subset_key;
		if (strcmp(key, "endpoints") == 0)
			return keep_none;
	}
	if (keep == keep_metadata_key && strcmp(key, "annotations") == 0)
		return keep_annotation;
	if (keep == keep_subset_key && (strcmp(key, "addresses") == 0 || strcmp(key, "notReadyAddresses") == 0))
		return keep_none;
	if (keep == keep_service_spec_key && strcmp(key, "ports") == 0)
		return keep_service_port_key;
	if (keep == keep_monitor_spec_key && strcmp(key, "endpoints") == 0)
		return keep_monitor_endpoint_key;
	if (keep == keep_monitor_endpoint_key && strcmp(key, "tlsConfig") == 0)
		return keep_tls_file_key;
	return NULL;
}

/* A map's stand-in in a kept copy: an empty map flagged NODE_SKIMMED at its position.  So stands a
 * Service's selector: whether the Service has one was learned before the copy (k8s_learn()); the
 * index rules point at the selector but never read its labels, which are unique to each Service and
 * would keep its spec from being shared with every Service written from the same template.  So
 * stands each address of an Endpoints and each endpoint of an EndpointSlice (keep_none()). */
static struct node *stand_in(struct string_pool *strings, struct node_cache *cache, const struct node *map)
{
	struct node like = *map;

	like.flags = (unsigned short)((like.flags & ~(NODE_INDEXED | NODE_SHARED)) | NODE_SKIMMED);
	return node_cached_map(strings->arena, cache, &like, NULL, NULL, 0);
}

static struct node *copy_filtered(struct string_pool *strings, struct node_cache *cache, const struct node *map,
				  keep_fn *keep);

/* A copy of value cut by keep: a map, or each map of a list (other items whole); anything else whole. */
static struct node *copy_value_filtered(struct string_pool *strings, struct node_cache *cache,
					const struct node *value, keep_fn *keep)
{
	struct node *small[16], **items = small;
	uint64_t small_hashes[16], *hashes = small_hashes;
	struct node *c;
	unsigned int i;

	if (node_is_map(value))
		return copy_filtered(strings, cache, value, keep);
	if (!node_is_seq(value))
		return node_copy_cached(strings->arena, strings, cache, value);
	if (value->count > sizeof(small) / sizeof(small[0])) {
		items = xmalloc(value->count * sizeof(*items));
		hashes = xmalloc(value->count * sizeof(*hashes));
	}
	for (i = 0; i < value->count; i++) {
		const struct node *item = value->u.items[i];

		items[i] = node_is_map(item) ? copy_filtered(strings, cache, item, keep)
					     : node_copy_cached(strings->arena, strings, cache, item);
		hashes[i] = cache->hash;
	}
	c = node_cached_seq(strings->arena, cache, value, value->count ? items : NULL,
			    value->count ? hashes : NULL, value->count);
	if (items != small) {
		free(items);
		free(hashes);
	}
	return c;
}

/*
 * A copy of map with only the pairs keep() accepts (keys that are not strings are dropped), their
 * values cut further as value_filter() says: the document root to keep_root_key(), its metadata to
 * keep_metadata_key(), metadata's annotations to keep_annotation(), an Endpoints' subsets and
 * addresses and an EndpointSlice's endpoints to what the index rules read of them.  Memory stays
 * flat over a large repository because the rest of the file's tree is given back after each file.
 */
static struct node *copy_filtered(struct string_pool *strings, struct node_cache *cache, const struct node *map,
				  keep_fn *keep)
{
	struct arena *arena = strings->arena;
	struct node_pair small[16], *pairs = small;
	uint64_t small_hashes[32], *hashes = small_hashes;
	struct node *c;
	unsigned int i, n = 0;

	if (keep == keep_none)
		return stand_in(strings, cache, map);
	if (map->count > sizeof(small) / sizeof(small[0])) {
		pairs = xmalloc(map->count * sizeof(*pairs));
		hashes = xmalloc(2 * map->count * sizeof(*hashes));
	}
	for (i = 0; i < map->count; i++) {
		const struct node *value = map->u.pairs[i].value;
		const char *key = node_text(map->u.pairs[i].key);
		keep_fn *filter;

		if (!key || !keep(key))
			continue;
		pairs[n].key = node_copy_cached(arena, strings, cache, map->u.pairs[i].key);
		hashes[2 * n] = cache->hash;
		filter = value_filter(keep, key);
		if ((keep == keep_service_spec_key || keep == keep_service_spec_rest) && strcmp(key, "selector") == 0 &&
		    node_is_map(value) && value->count > 0)
			pairs[n].value = stand_in(strings, cache, value);
		else if (filter)
			pairs[n].value = copy_value_filtered(strings, cache, value, filter);
		else
			pairs[n].value = node_copy_cached(arena, strings, cache, value);
		hashes[2 * n + 1] = cache->hash;
		n++;
	}
	c = node_cached_map(arena, cache, map, n ? pairs : NULL, n ? hashes : NULL, n);
	if (pairs != small) {
		free(pairs);
		free(hashes);
	}
	return c;
}

/* A position relative to at's line, in 16 bits each: false when it does not fit. */
static bool relative(struct position at, struct position p, unsigned short *lines, unsigned short *column)
{
	if (!p.line) {
		*lines = *column = 0;
		return true;
	}
	if (p.line < at.line || p.line - at.line >= 0xFFFF || p.column > 0xFFFF)
		return false;
	*lines = (unsigned short)(p.line - at.line + 1);
	*column = (unsigned short)p.column;
	return true;
}

/* base's line subtracted from line, in 32 bits: false when it does not fit. */
static bool line_after(unsigned int base, unsigned int line, int32_t *after)
{
	long long d = (long long)line - (long long)base;

	if (d < INT32_MIN || d > INT32_MAX)
		return false;
	*after = (int32_t)d;
	return true;
}

/* The record of a port but for its texts, its lines after base's; false when the port does not fit. */
static bool port_record(const struct port_ref *p, unsigned int base, struct port_record *r)
{
	if (p->number < INT32_MIN || p->number > INT32_MAX || p->at.column > 0xFFFF ||
	    !line_after(base, p->at.line, &r->line) ||
	    !relative(p->at, p->name_at, &r->name_lines, &r->name_column) ||
	    !relative(p->at, p->target_at, &r->target_lines, &r->target_column))
		return false;
	r->number = (int32_t)p->number;
	r->column = (unsigned short)p->at.column;
	r->target = (unsigned short)p->target;
	r->protocol_set = p->protocol_set;
	return true;
}

/* A pooled text, and what its bytes hash to (for node_cached_record()). */
static const char *pooled_hashed(struct string_pool *strings, const char *text, uint64_t *hash)
{
	uint32_t h;
	const char *pooled;

	if (!text) {
		*hash = node_hash_mix(*hash, 0);
		return NULL;
	}
	pooled = string_pool_get_hashed(strings, text, strlen(text), &h);
	*hash = node_hash_mix(*hash, (uint64_t)h + 1);
	return pooled;
}

/* The ports of a Service (a list) as records, their lines after base's, or NULL when one does not fit
 * a record.  Whether all fit is known before anything goes to the pool, whose texts stay.  The set is
 * made zeroed (padding included) on the heap, then shared with an equal one kept before through
 * cache. */
static const struct port_set *keep_ports(struct string_pool *strings, struct node_cache *cache,
					 const struct node *ports, unsigned int base)
{
	struct port_ref small[16], *read = small;
	struct port_record probe;
	struct port_set *set;
	const struct port_set *shared = NULL;
	struct position at = node_position(ports);
	int32_t line;
	unsigned int i, n = 0;
	size_t size;
	uint64_t hash = 0xCBF29CE484222325ull;

	if (ports->count > sizeof(small) / sizeof(small[0]))
		read = xmalloc(ports->count * sizeof(*read));
	for (i = 0; i < ports->count; i++)
		if (node_is_map(ports->u.items[i]))
			port_read(&read[n++], ports->u.items[i], NULL);
	for (i = 0; i < n && port_record(&read[i], base, &probe); i++)
		;
	if (i == n && line_after(base, at.line, &line)) {
		size = sizeof(*set) + n * sizeof(set->items[0]);
		set = xcalloc(1, size);
		set->count = n;
		set->listed = ports->count;
		set->line = line;
		set->column = at.column;
		hash = node_hash_mix(node_hash_mix(node_hash_mix(hash, n), ports->count),
				     (uint64_t)(uint32_t)line << 32 | at.column);
		for (i = 0; i < n; i++) {
			const struct port_ref *p = &read[i];
			struct port_record *r = &set->items[i];

			port_record(p, base, r);
			hash = node_hash_mix(node_hash_mix(hash, (uint64_t)(uint32_t)r->number << 32 | (uint32_t)r->line),
					     (uint64_t)r->column | (uint64_t)r->target << 16 |
					     (uint64_t)r->name_lines << 32 | (uint64_t)r->name_column << 48);
			hash = node_hash_mix(hash, (uint64_t)r->target_lines | (uint64_t)r->target_column << 16 |
						   (uint64_t)r->protocol_set << 32);
			r->name = pooled_hashed(strings, p->name, &hash);
			r->protocol = pooled_hashed(strings, p->protocol, &hash);
			r->target_name = pooled_hashed(strings, p->target_name, &hash);
		}
		shared = node_cached_record(strings->arena, cache, set, size, hash);
		free(set);
	}
	if (read != small)
		free(read);
	return shared;
}

static const char *pooled(struct string_pool *strings, const char *text)
{
	return text ? string_pool_get(strings, text, strlen(text)) : NULL;
}

/* Labels maps up to this size are kept as texts; larger ones keep their map and its key index, so
 * that looking a label up stays constant time however many labels a hostile Service has. */
#define LABEL_SET_MAX 16
_Static_assert(LABEL_SET_MAX <= UCHAR_MAX, "a label_set counts its labels in a byte");

/* A label's key as the set holds it: a scalar's text without a NUL byte (a lookup key never holds
 * one, so no lookup could find the pair), else NULL. */
static const char *label_key(const struct node *key)
{
	return node_is_scalar(key) && strlen(key->u.text) == key->count ? key->u.text : NULL;
}

static const unsigned char *label_flags(const struct label_set *set)
{
	return set->count <= LABEL_SET_INLINE ? set->flags : (const unsigned char *)&set->items[set->count];
}

static const struct label_set *keep_labels(struct string_pool *strings, const struct node *labels)
{
	struct label_set *set;
	unsigned char *flags;
	unsigned int i, n = 0;

	for (i = 0; i < labels->count; i++)
		n += label_key(labels->u.pairs[i].key) != NULL;
	set = arena_alloc(strings->arena, sizeof(*set) + n * sizeof(set->items[0]) + (n > LABEL_SET_INLINE ? n : 0));
	set->count = (unsigned char)n;
	flags = (unsigned char *)label_flags(set);
	for (i = 0, n = 0; i < labels->count; i++) {
		const struct node *k = labels->u.pairs[i].key, *v = labels->u.pairs[i].value;
		const char *key = label_key(k);

		if (!key)
			continue;
		set->items[n].key = string_pool_get(strings, key, k->count);
		set->items[n].value = node_is_null(v) ? "" : node_is_scalar(v) ? string_pool_get(strings, v->u.text, v->count)
										 : NULL;
		flags[n] = (unsigned char)((node_str(k) ? LABEL_KEY_STRING : 0) | (node_str(v) ? LABEL_STRING : 0) |
					   (node_is_null(v) ? LABEL_NULL : 0) |
					   (node_get(labels, key) == v ? LABEL_COUNTS : 0));
		n++;
	}
	return set;
}

/* The type in types with t's apiVersion and kind, made (its texts pooled) and remembered when none has. */
static const struct object_type *keep_type(struct string_pool *strings, struct object_types *types,
					   const struct object_type *t)
{
	struct object_type *kept;
	unsigned int i, k;

	for (i = 0; i < types->count; i++) {
		k = (types->last + i) % types->count;
		if (strcmp(types->items[k]->kind_name, t->kind_name) == 0 &&
		    strcmp(types->items[k]->api_version, t->api_version) == 0) {
			types->last = k;
			return types->items[k];
		}
	}
	kept = arena_alloc(strings->arena, sizeof(*kept));
	kept->api_version = pooled(strings, t->api_version);
	kept->group = pooled(strings, t->group);
	kept->version = pooled(strings, t->version);
	kept->kind_name = pooled(strings, t->kind_name);
	/* More types than slots (a repository of many CRDs): the oldest slot is given again. */
	if (types->count < sizeof(types->items) / sizeof(types->items[0]))
		k = types->count++;
	else
		k = types->next++ % types->count;
	types->items[k] = kept;
	types->last = k;
	return kept;
}

/* The trees object_keep() keeps of object, copied into o through cache. */
static void keep_trees(struct string_pool *strings, struct node_cache *cache, const struct object *object,
		       struct object *o)
{
	const struct node *metadata;

	/* Of an Endpoints or EndpointSlice the rules over the index read top-level fields (subsets,
	 * endpoints, ports, addressType), ownerReferences and two annotations; of the other kinds only
	 * spec and labels, which are kept without the maps that held them. */
	if (object->kind != KIND_ENDPOINTS && object->kind != KIND_ENDPOINTSLICE) {
		const struct node *ports = object->kind == KIND_SERVICE ? node_get(object->spec, "ports") : NULL;
		const struct port_set *set = node_is_seq(ports) ? keep_ports(strings, cache, ports, object->position.line)
							       : NULL;

		o->root = NULL;
		if (set) {
			o->port_set = set;
			o->ports_compact = true;
			o->spec = copy_filtered(strings, cache, object->spec, keep_service_spec_rest);
		} else if (object->kind == KIND_SERVICE && node_is_map(object->spec))
			o->spec = copy_filtered(strings, cache, object->spec, keep_service_spec_key);
		else if (object->kind == KIND_SERVICEMONITOR && node_is_map(object->spec))
			o->spec = copy_filtered(strings, cache, object->spec, keep_monitor_spec_key);
		else
			o->spec = node_copy_cached(strings->arena, strings, cache, object->spec);
		if ((object->kind == KIND_SERVICE || object->kind == KIND_SERVICEMONITOR) && object->labels &&
		    object->labels->count <= LABEL_SET_MAX &&
		    !(object->labels->flags & NODE_INDEXED)) {
			o->label_set = keep_labels(strings, object->labels);
			o->labels_compact = true;
		} else {
			o->labels = node_copy_cached(strings->arena, strings, cache, object->labels);
		}
		return;
	}
	o->root = node_is_map(object->root) ? copy_filtered(strings, cache, object->root, keep_root_key)
					  : node_copy_cached(strings->arena, strings, cache, object->root);
	metadata = object_metadata(o);
	o->labels = node_is_map(node_get(metadata, "labels")) ? node_get(metadata, "labels") : NULL;
	o->spec = node_get(o->root, "spec");
}

struct object *object_keep(struct string_pool *strings, struct node_cache *cache, struct object_types *types,
			   const struct object *object)
{
	struct object *o = arena_alloc(strings->arena, object_size(object));
	const char *template_source = object_template_source(object);

	*o = *object;
	if (template_source) {
		template_source = pooled(strings, template_source);
		memcpy((char *)o + sizeof(*o), &template_source, sizeof(template_source));
	}
	o->type = keep_type(strings, types, object->type);
	o->name = pooled(strings, object->name);
	o->namespace = pooled(strings, object->namespace);
	o->next_same = o->next_same_name = o->next_for_service = o->next_for_service_any = 0;
	o->backends = NULL;
	o->ports_compact = false;
	if (object->kind == KIND_OTHER) {
		o->root = o->labels = o->spec = NULL;
		return o;
	}
	/* Its nodes' lines count from its own: the objects written from one template share them. */
	o->relative_lines = true;
	cache->base_line = object->position.line;
	keep_trees(strings, cache, object, o);
	cache->base_line = 0;
	return o;
}

#ifdef SVCLINT_CHECK_NODES
/* Whether n is tree or below it (kept trees are small, and shallower than doc_limits' nesting). */
static bool tree_holds(const struct node *tree, const struct node *n)
{
	unsigned int i;

	if (!tree)
		return false;
	if (tree == n)
		return true;
	if (node_is_seq(tree)) {
		for (i = 0; i < tree->count; i++)
			if (tree_holds(tree->u.items[i], n))
				return true;
	} else if (node_is_map(tree)) {
		for (i = 0; i < tree->count; i++)
			if (tree_holds(tree->u.pairs[i].key, n) || tree_holds(tree->u.pairs[i].value, n))
				return true;
	}
	return false;
}

/* A kept object's node read with another object's line would point at the wrong line, silently. */
static void check_owner(const struct object *object, const struct node *n)
{
	if (tree_holds(object->ports_compact ? NULL : object->root, n) || tree_holds(object->spec, n) ||
	    (!object->labels_compact && tree_holds(object->labels, n)))
		return;
	fprintf(stderr, "svclint: internal error: a node at relative line %u, column %u read as %s %s's "
		"(%s), which does not hold it\n", n->line, n->column, object->type->kind_name, object->name,
		object->file);
	abort();
}
#endif

struct position object_node_position(const struct object *object, const struct node *n)
{
	struct position p = node_position(n);

	if (n && object && object->relative_lines) {
#ifdef SVCLINT_CHECK_NODES
		check_owner(object, n);
#endif
		/* Unsigned: a line before the object's wrapped around when it was made relative. */
		p.line += object->position.line;
	}
	return p;
}

static const char *string_value(const struct node *map, const char *key)
{
	const struct node *v = node_get(map, key);

	return node_is_scalar(v) && !node_is_null(v) ? node_text(v) : NULL;
}

const struct node *object_metadata(const struct object *object)
{
	const struct node *metadata = object->ports_compact ? NULL : node_get(object->root, "metadata");

	return node_is_map(metadata) ? metadata : NULL;
}

const struct node *object_name_node(const struct object *object)
{
	return node_get(object_metadata(object), "name");
}

/* The set's text of key (the last, as node_get() finds it), with its flags; NULL when absent. */
static const struct label_text *set_find(const struct label_set *set, const char *key, unsigned int *flags)
{
	unsigned int i = set->count;

	while (i-- > 0)
		if (strcmp(set->items[i].key, key) == 0) {
			*flags = label_flags(set)[i];
			return &set->items[i];
		}
	return NULL;
}

const char *object_label(const struct object *object, const char *key)
{
	const struct label_text *l;
	unsigned int flags;

	if (!object->labels_compact)
		return string_value(object->labels, key);
	l = set_find(object->label_set, key, &flags);
	return l && !(flags & LABEL_NULL) ? l->value : NULL;
}

const char *object_label_get(const void *data, const char *key)
{
	const struct object *object = data;
	const struct label_text *l;
	unsigned int flags;

	if (!object->labels_compact)
		return label_in_map(object->labels, key);
	l = set_find(object->label_set, key, &flags);
	return l ? l->value : NULL;
}

const char *object_label_string(const struct object *object, const char *key)
{
	const struct label_text *l;
	unsigned int flags;

	if (!object->labels_compact)
		return node_str(node_get(object->labels, key));
	l = set_find(object->label_set, key, &flags);
	return l && (flags & LABEL_STRING) ? l->value : NULL;
}

bool object_has_label(const struct object *object, const char *key)
{
	unsigned int flags;

	if (!object->labels_compact)
		return node_get_pair(object->labels, key) != NULL;
	return set_find(object->label_set, key, &flags) != NULL;
}

size_t object_label_count(const struct object *object)
{
	if (object->labels_compact)
		return object->label_set->count;
	return object->labels ? object->labels->count : 0;
}

bool object_matches(const struct selector *selector, const struct object *object)
{
	struct label_source labels = { object_label_get, object };

	return selector_matches(selector, &labels);
}

void object_each_string_label(const struct object *object,
			      void (*fn)(void *data, const char *key, const char *value), void *data)
{
	const struct node *labels;
	unsigned int i;

	if (object->labels_compact) {
		const struct label_set *set = object->label_set;
		const unsigned int all = LABEL_KEY_STRING | LABEL_STRING | LABEL_COUNTS;

		for (i = 0; i < set->count; i++)
			if ((label_flags(set)[i] & all) == all)
				fn(data, set->items[i].key, set->items[i].value);
		return;
	}
	labels = object->labels;
	for (i = 0; labels && i < labels->count; i++) {
		const char *key = node_str(labels->u.pairs[i].key);
		const char *value = node_str(labels->u.pairs[i].value);

		/* Only the value Kubernetes sees: a repeated key counts once (the last). */
		if (key && value && node_get(labels, key) == labels->u.pairs[i].value)
			fn(data, key, value);
	}
}

const struct node *object_annotations(const struct object *object)
{
	const struct node *annotations = node_get(object_metadata(object), "annotations");

	return node_is_map(annotations) ? annotations : NULL;
}

const char *object_annotation(const struct object *object, const char *key)
{
	return string_value(object_annotations(object), key);
}

const char *object_describe(struct arena *arena, const struct object *object)
{
	return arena_printf(arena, "%s %s/%s", object->type->kind_name[0] ? object->type->kind_name : "object",
			    object->namespace, object->name[0] ? object->name : "(unnamed)");
}

void object_list_release(struct object_list *list)
{
	free(list->items);
	list->items = NULL;
	list->count = list->capacity = 0;
}
