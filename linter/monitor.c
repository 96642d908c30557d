/* monitor.c: Prometheus and ServiceMonitor selection as prometheus-operator performs it. */
#include "monitor.h"

#include <stdlib.h>
#include <stdint.h>
#include <string.h>

#include "k8s.h"
#include "rule.h"

/* The Service of entry i: the context borrows the index's positions (index->namespace_order), 4 bytes
 * a Service where a pointer beside each was 16 (1.4 MB at 100,000 apps, at the run's peak). */
static const struct object *service_at(const struct monitor_context *mc, size_t i)
{
	return mc->index->by_kind[KIND_SERVICE][mc->services[i]];
}

static bool is_true(const struct node *n)
{
	bool b;

	return node_bool(n, &b) && b;
}

/* spec.serviceDiscoveryRole: EndpointSlice, Endpoints, or 0 when unset (or not one of them). */
static unsigned int role_of(const struct node *spec)
{
	const char *role = node_str(node_get(spec, "serviceDiscoveryRole"));

	if (role && strcmp(role, "EndpointSlice") == 0)
		return MONITOR_ROLE_ENDPOINTSLICE;
	if (role && strcmp(role, "Endpoints") == 0)
		return MONITOR_ROLE_ENDPOINTS;
	return 0;
}

/* prometheus-operator uses the Endpoints role for Prometheus older than 2.21 (#endpointRoleFlavor). */
static bool version_supports_slices(const char *version)
{
	long major, minor;
	char *end;

	if (!version || !*version)
		return true;
	if (*version == 'v')
		version++;
	major = strtol(version, &end, 10);
	if (end == version || *end != '.')
		return true;
	version = end + 1;
	minor = strtol(version, &end, 10);
	if (end == version)
		return true;
	return major > 2 || (major == 2 && minor >= 21);
}

static void read_prometheus(struct prometheus_info *p, struct arena *arena, const struct object *o)
{
	const struct node *spec = o->spec;
	const struct node *ns = node_get(spec, "serviceMonitorNamespaceSelector");

	memset(p, 0, sizeof(*p));
	p->prometheus = o;
	p->role = role_of(spec);
	if (!p->role)
		p->role = MONITOR_ROLE_ENDPOINTS;
	p->slices_supported = version_supports_slices(node_str(node_get(spec, "version")));
	p->ignore_namespace_selectors = is_true(node_get(spec, "ignoreNamespaceSelectors"));
	p->deny_file_access = is_true(node_get_path(spec, "arbitraryFSAccessThroughSMs.deny"));
	p->namespace_selector_set = ns && !node_is_null(ns);
	if (selector_parse(&p->monitor_selector, arena, node_get(spec, "serviceMonitorSelector"), &p->error) != 0) {
		p->status = -1;
		p->error_field = "serviceMonitorSelector";
	} else if (selector_parse(&p->namespace_selector, arena, ns, &p->error) != 0) {
		p->status = -1;
		p->error_field = "serviceMonitorNamespaceSelector";
	}
}

/*
 * Services by (scope, namespace, label key, label value), and by (scope, key, value) across namespaces
 * (namespace NULL): a selector with a matchLabels entry then visits only the Services that carry it,
 * instead of every Service of the namespaces it looks in.  Hits hold positions in mc->services.
 */
/* A Service carrying a label: the hash of (scope, namespace, key, value) and its entry. */
struct label_hit {
	uint32_t hash;
	uint32_t entry;
};

#define LABEL_KEYS_MAX 8

/* Eight bytes a hit, and nothing else: the hits are malloc'd (monitor_context_release() frees them),
 * of the exact number each pass adds, and sorted by hash, then entry, so that a label's hits are one
 * run found by halves.  A hash table of the keys beside them, grown by doubling, took 3 MB at
 * 100,000 apps where the hits are 0.9 (most labels that selections ask for, app or name, are distinct),
 * and was the run's peak.  A hit whose hash is another label's is visited for nothing: scan_entry()
 * checks every Service it is given. */
struct monitor_label_index {
	struct label_hit *hits;
	size_t hit_count;
	/* Only the label keys that selections look up are indexed, each when a selection first does:
	 * ServiceMonitors mostly select on one or two keys (app, app.kubernetes.io/name), Services carry
	 * several, and every label indexed took 8 bytes of hits.  Past LABEL_KEYS_MAX keys, each a pass
	 * over the Services, every key is indexed at once. */
	const char *keys[LABEL_KEYS_MAX];
	unsigned int key_count;
	bool every_key;
	/* The keys under any namespace are added when a selection first needs them: most repositories'
	 * ServiceMonitors look in named namespaces, and those keys are as many again.  Only select_all()
	 * adds keys (one thread, before the rules); it frees the index when done, and a selection made
	 * after it visits every Service instead. */
	bool any_namespace_added;
};

static uint64_t mix_string(uint64_t h, const char *s)
{
	do {
		h ^= (unsigned char)*s;
		h *= 1099511628211ull;
	} while (*s++);
	return h;
}

static uint32_t label_hash(unsigned int scope, const char *namespace, const char *key, const char *value)
{
	uint64_t h = 14695981039346656037ull ^ ((uint64_t)scope * 0x9E3779B97F4A7C15ull);
	uint32_t folded;

	h = mix_string(h, namespace ? namespace : "\001");
	h = mix_string(h, key);
	h = mix_string(h, value);
	folded = (uint32_t)(h ^ (h >> 32));
	return folded ? folded : 1;
}

static bool hit_before(const struct label_hit *a, const struct label_hit *b)
{
	return a->hash < b->hash || (a->hash == b->hash && a->entry < b->entry);
}

/* Heapsort, in place: glibc's qsort() sorts a copy, as large as the hits, at the run's peak. */
static void sort_hits(struct label_hit *hits, size_t n)
{
	size_t start = n / 2, end = n, root, child;
	struct label_hit t;

	while (end > 1) {
		if (start > 0) {
			start--;	/* making the heap */
		} else {
			end--;		/* taking its largest to the end */
			t = hits[0];
			hits[0] = hits[end];
			hits[end] = t;
		}
		for (root = start; (child = 2 * root + 1) < end; root = child) {
			if (child + 1 < end && hit_before(&hits[child], &hits[child + 1]))
				child++;
			if (!hit_before(&hits[root], &hits[child]))
				break;
			t = hits[root];
			hits[root] = hits[child];
			hits[child] = t;
		}
	}
}

static bool key_listed(const struct monitor_label_index *li, const char *key)
{
	unsigned int i;

	for (i = 0; i < li->key_count; i++)
		if (strcmp(li->keys[i], key) == 0)
			return true;
	return false;
}

/* Which labels a pass over the Services adds. */
enum label_filter {
	LABELS_INDEXED,		/* the keys indexed so far (a pass under any namespace) */
	LABELS_ONE_KEY,		/* one key, just listed */
	LABELS_UNLISTED,	/* every key not listed (the pass that indexes every key) */
};

struct label_adding {
	const struct monitor_context *mc;
	size_t entry;
	const struct object *service;
	bool any_namespace;
	enum label_filter filter;
	const char *key;	/* LABELS_ONE_KEY's */
	bool counting;		/* a first pass: count the hits, add none */
	size_t added;
};

static void add_one_label(void *data, const char *key, const char *value)
{
	struct label_adding *a = data;
	struct monitor_label_index *li = a->mc->labels;
	struct label_hit *hit;

	switch (a->filter) {
	case LABELS_INDEXED:
		if (!li->every_key && !key_listed(li, key))
			return;
		break;
	case LABELS_ONE_KEY:
		if (strcmp(key, a->key) != 0)
			return;
		break;
	case LABELS_UNLISTED:
		if (key_listed(li, key))
			return;
		break;
	}
	if (a->counting) {
		a->added++;
		return;
	}
	hit = &li->hits[li->hit_count++];
	hit->hash = label_hash(a->service->scope, a->any_namespace ? NULL : a->service->namespace, key, value);
	hit->entry = (uint32_t)a->entry;
}

/* Adds the Services' labels that filter takes under their namespace, or under any namespace: counted
 * first, so that the hits grow once to their number. */
static void add_labels(const struct monitor_context *mc, bool any_namespace, enum label_filter filter,
		       const char *key)
{
	struct monitor_label_index *li = mc->labels;
	struct label_adding a;

	a.mc = mc;
	a.any_namespace = any_namespace;
	a.filter = filter;
	a.key = key;
	a.counting = true;
	a.added = 0;
	for (a.entry = 0; a.entry < mc->service_count; a.entry++) {
		a.service = service_at(mc, a.entry);
		object_each_string_label(a.service, add_one_label, &a);
	}
	if (!a.added)
		return;
	li->hits = xrealloc(li->hits, (li->hit_count + a.added) * sizeof(*li->hits));
	a.counting = false;
	for (a.entry = 0; a.entry < mc->service_count; a.entry++) {
		a.service = service_at(mc, a.entry);
		object_each_string_label(a.service, add_one_label, &a);
	}
	sort_hits(li->hits, li->hit_count);
}

static void build_label_index(struct monitor_context *mc)
{
	mc->labels = arena_zalloc(mc->arena, sizeof(*mc->labels));
}

/* Frees the hits; the struct is the arena's.  Selections made later scan every Service. */
static void label_index_release(struct monitor_context *mc)
{
	if (!mc->labels)
		return;
	free(mc->labels->hits);
	mc->labels = NULL;
}

/* Indexes the Services carrying key (under their namespaces, and under any namespace once that is),
 * unless they are already. */
static void index_key(const struct monitor_context *mc, const char *key)
{
	struct monitor_label_index *li = mc->labels;

	if (li->every_key || key_listed(li, key))
		return;
	if (li->key_count < LABEL_KEYS_MAX) {
		li->keys[li->key_count] = arena_strdup(mc->arena, key);
		add_labels(mc, false, LABELS_ONE_KEY, li->keys[li->key_count]);
		if (li->any_namespace_added)
			add_labels(mc, true, LABELS_ONE_KEY, li->keys[li->key_count]);
		li->key_count++;
		return;
	}
	add_labels(mc, false, LABELS_UNLISTED, NULL);
	if (li->any_namespace_added)
		add_labels(mc, true, LABELS_UNLISTED, NULL);
	li->every_key = true;
}

/* Adds the keys under any namespace, unless they are there. */
static void index_any_namespace(const struct monitor_context *mc)
{
	struct monitor_label_index *li = mc->labels;

	if (!li->any_namespace_added) {
		add_labels(mc, true, LABELS_INDEXED, NULL);
		li->any_namespace_added = true;
	}
}

/* The first of the sorted hits at or after (hash, entry). */
static size_t first_hit(const struct monitor_label_index *li, uint32_t hash, uint32_t entry)
{
	struct label_hit at = { hash, entry };
	size_t low = 0, high = li->hit_count;

	while (low < high) {
		size_t mid = low + (high - low) / 2;

		if (hit_before(&li->hits[mid], &at))
			low = mid + 1;
		else
			high = mid;
	}
	return low;
}

static void select_all(struct monitor_context *mc);
static void free_targets(struct target_cache *cache);

void monitor_context_init(struct monitor_context *mc, struct arena *arena, const struct index *index)
{
	size_t i, n = index->kind_count[KIND_PROMETHEUS];

	memset(mc, 0, sizeof(*mc));
	mc->index = index;
	mc->arena = arena;
	mc->prometheus = arena_zalloc(arena, (n + 1) * sizeof(*mc->prometheus));
	for (i = 0; i < n; i++)
		read_prometheus(&mc->prometheus[i], arena, index->by_kind[KIND_PROMETHEUS][i]);
	mc->prometheus_count = n;
	for (i = 0; i < index->kind_count[KIND_OTHER]; i++) {
		const struct object *o = index->by_kind[KIND_OTHER][i];

		if (object_is_prometheus_agent(o))
			mc->has_agent = true;
	}
	n = index->kind_count[KIND_SERVICE];
	for (i = 0; i < n && !mc->unset_namespace; i++) {
		const struct object *s = index->by_kind[KIND_SERVICE][i];

		if (!s->namespace_explicit)
			mc->unset_namespace = s->namespace;
	}
	mc->services = index->namespace_order[KIND_SERVICE];
	mc->service_count = n;
	build_label_index(mc);
	select_all(mc);
}

void monitor_context_release(struct monitor_context *mc)
{
	free_targets(mc->targets);
	mc->targets = NULL;
	label_index_release(mc);
}

void monitor_context_share(struct monitor_context *mc, const struct monitor_context *shared, struct arena *arena)
{
	*mc = *shared;
	mc->arena = arena;
}

/* The first entry of scope and namespace in the sorted Services (service_count when none). */
static size_t first_in_namespace(const struct monitor_context *mc, unsigned int scope, const char *namespace)
{
	size_t low = 0, high = mc->service_count;

	while (low < high) {
		size_t mid = low + (high - low) / 2;
		const struct object *s = service_at(mc, mid);

		if (s->scope < scope || (s->scope == scope && strcmp(s->namespace, namespace) < 0))
			low = mid + 1;
		else
			high = mid;
	}
	return low;
}

static const char *namespace_label(const void *data, const char *key)
{
	return strcmp(key, LABEL_NAMESPACE_NAME) == 0 ? data : NULL;
}

/* Whether a namespace selector on Namespace labels selects the namespace of object. */
static enum monitor_answer namespace_matches(const struct selector *selector, const struct object *object)
{
	struct label_source labels = { namespace_label, object->namespace };

	if (selector->kind == SELECTOR_EVERYTHING)
		return MONITOR_YES;
	/* Namespaces have no labels in the manifests but their own name: anything else is unknown. */
	if (selector->kind != SELECTOR_REQUIREMENTS || !selector_only_key(selector, LABEL_NAMESPACE_NAME) ||
	    !object->namespace_explicit)
		return MONITOR_MAYBE;
	return selector_matches(selector, &labels) ? MONITOR_YES : MONITOR_NO;
}

/* Callers format the text only when why is wanted: select_all() asks every ServiceMonitor of every
 * Prometheus without it, and the texts took 7 MB at 100,000 apps. */
static void say(struct monitor_reason *why, const struct node *at, const char *text)
{
	if (why) {
		why->text = text;
		why->at = at;
	}
}

enum monitor_answer prometheus_selects(const struct monitor_context *mc, const struct prometheus_info *p,
				       const struct object *monitor, struct monitor_reason *why)
{
	const struct object *prom = p->prometheus;
	struct label_source labels = { object_label_get, monitor };
	enum monitor_answer namespace_answer = MONITOR_YES;
	const struct selector_requirement *failed;

	if (prom->scope != monitor->scope)
		return MONITOR_NO;
	/* An invalid selector is reported on its own; of a duplicated Prometheus only one definition lives. */
	if (p->status != 0 || !object_is_unique(mc->index, prom))
		return MONITOR_MAYBE;
	if (!p->namespace_selector_set) {
		if (strcmp(prom->namespace, monitor->namespace) != 0) {
			if (!namespace_ambiguous(prom, monitor)) {
				if (why)
					say(why, NULL, arena_printf(mc->arena, "it selects ServiceMonitors only in its "
								    "own namespace '%s' (serviceMonitorNamespaceSelector "
								    "is unset)", prom->namespace));
				return MONITOR_NO;
			}
			namespace_answer = MONITOR_MAYBE;
		}
	} else {
		namespace_answer = namespace_matches(&p->namespace_selector, monitor);
		if (namespace_answer == MONITOR_NO) {
			if (why)
				say(why, p->namespace_selector.node,
				    arena_printf(mc->arena, "its serviceMonitorNamespaceSelector %s does not select "
						 "namespace '%s'", selector_describe(mc->arena, &p->namespace_selector),
						 monitor->namespace));
			return MONITOR_NO;
		}
	}
	switch (p->monitor_selector.kind) {
	case SELECTOR_NOTHING:
		say(why, NULL, "its serviceMonitorSelector is unset, which selects no ServiceMonitor ({} selects all)");
		return MONITOR_NO;
	case SELECTOR_UNKNOWN:
		return MONITOR_MAYBE;
	case SELECTOR_EVERYTHING:
		return namespace_answer;
	case SELECTOR_REQUIREMENTS:
		break;
	}
	failed = selector_first_failure(&p->monitor_selector, &labels);
	if (failed) {
		bool positive = failed->operator == SELECTOR_EQUALS || failed->operator == SELECTOR_IN ||
				failed->operator == SELECTOR_EXISTS;

		if (why)
			say(why, p->monitor_selector.node,
			    arena_printf(mc->arena, "its serviceMonitorSelector %s does not match this ServiceMonitor, "
					 "whose labels %s %s", selector_describe(mc->arena, &p->monitor_selector),
					 positive ? "lack" : "fail", selector_describe_requirement(mc->arena, failed)));
		return MONITOR_NO;
	}
	return namespace_answer;
}

bool endpoints_is_mirrored(const struct object *endpoints)
{
	return !endpoints_skips_mirror(endpoints) && !endpoints_is_leader_lock(endpoints);
}

const struct object **monitor_role_objects(const struct monitor_context *mc, const struct object *service,
					   unsigned int role)
{
	struct backends b;
	const struct object **out;
	size_t i, n = 0;

	index_backends_of(mc->index, service, &b);
	out = arena_alloc(mc->arena, (b.slice_count + 2) * sizeof(*out));
	if (b.endpoints.object && (role == MONITOR_ROLE_ENDPOINTS || endpoints_is_mirrored(b.endpoints.object)))
		out[n++] = b.endpoints.object;
	if (role == MONITOR_ROLE_ENDPOINTSLICE)
		for (i = 0; i < b.slice_count; i++)
			out[n++] = b.slices[i].object;
	out[n] = NULL;
	backends_release(&b);
	return out;
}

bool monitor_target_ports(const struct index *index, const struct object *service, unsigned int role,
			  struct port_list *list)
{
	struct backends b;
	bool found = false;
	size_t i;

	if (service_is_external_name(service))
		return false;
	index_backends_of(index, service, &b);
	if (service_has_selector(service)) {
		/* The endpoints controllers name every backend port after the Service port. */
		ports_of_service(list, service);
		found = true;
		if (role == MONITOR_ROLE_ENDPOINTSLICE)
			for (i = 0; i < b.slice_count; i++)
				ports_of_slice(list, b.slices[i].object, (unsigned int)i);
	} else if (role == MONITOR_ROLE_ENDPOINTS) {
		if (b.endpoints.object) {
			ports_of_endpoints(list, b.endpoints.object);
			found = true;
		}
	} else {
		if (b.endpoints.object && endpoints_is_mirrored(b.endpoints.object)) {
			ports_of_endpoints(list, b.endpoints.object);
			found = true;
		}
		for (i = 0; i < b.slice_count; i++) {
			ports_of_slice(list, b.slices[i].object, (unsigned int)i);
			found = true;
		}
	}
	backends_release(&b);
	return found;
}

/*
 * The target ports of the Services that more than one monitor selects, under each role, worked out
 * once by monitor_context_init(): each monitor's rules ask for those of every Service it selects, and
 * a thousand monitors that select the same thousand Services asked a million times.  A Service that
 * one monitor selects (most) has no entry: its ports are worked out when asked.
 */
struct target_entry {
	const struct object *service;	/* NULL: an empty slot */
	bool found[2];			/* monitor_target_ports()'s answer, Endpoints role then slices */
	struct port_list ports[2];
};

struct target_cache {
	struct target_entry *slots;
	size_t mask;
};

/* Where an object's pointer starts its probe in a table of mask + 1 slots (monitors and Services). */
static size_t pointer_slot(const struct object *o, size_t mask)
{
	return (size_t)(((uintptr_t)o >> 4) * 0x9E3779B97F4A7C15ull) & mask;
}

/* The slot of a list of selected Services, by its address (equal lists are one list: service_list()). */
static size_t list_slot(const struct object **services, size_t mask)
{
	return (size_t)(((uintptr_t)services >> 4) * 0x9E3779B97F4A7C15ull) & mask;
}

static const struct target_entry *cached_targets(const struct monitor_context *mc, const struct object *service)
{
	const struct target_cache *cache = mc->targets;
	size_t slot;

	if (!cache)
		return NULL;
	for (slot = pointer_slot(service, cache->mask); cache->slots[slot].service; slot = (slot + 1) & cache->mask)
		if (cache->slots[slot].service == service)
			return &cache->slots[slot];
	return NULL;
}

bool monitor_targets_cached(const struct monitor_context *mc, const struct object *service)
{
	return cached_targets(mc, service) != NULL;
}

/* The target ports of service under role (monitor_target_ports()): the cached ones, or worked out into
 * *own, which the caller releases. */
static const struct port_list *targets_of(const struct monitor_context *mc, const struct object *service,
					  unsigned int role, struct port_list *own, bool *found)
{
	const struct target_entry *e = cached_targets(mc, service);
	unsigned int r = role == MONITOR_ROLE_ENDPOINTS ? 0 : 1;

	if (e) {
		*found = e->found[r];
		return &e->ports[r];
	}
	*found = monitor_target_ports(mc->index, service, role, own);
	return own;
}

/* A list kept for the run holds what it lists and no room to grow. */
static void shrink_ports(struct port_list *list)
{
	if (list->count == list->capacity)
		return;
	if (!list->count) {
		port_list_release(list);
		return;
	}
	list->items = xrealloc(list->items, list->count * sizeof(*list->items));
	list->capacity = list->count;
}

/* Orders selections by the address of their list of Services (equal lists are one: service_list()). */
static int compare_list_addresses(const void *pa, const void *pb)
{
	uintptr_t a = (uintptr_t)(*(const struct monitor_selection *const *)pa)->services;
	uintptr_t b = (uintptr_t)(*(const struct monitor_selection *const *)pb)->services;

	return a < b ? -1 : a > b;
}

/*
 * Counts the selections that hold each Service (in a table for the while), and works out the target
 * ports of those that two or more hold.  The table is sized by the Services the lists hold, not by
 * every Service of the index: most repositories' monitors select a Service or two, and a table for
 * all Services, with its counts, took 3 MB at 100,000 apps, at the run's peak.  A bit a slot says
 * whether two or more selections hold its Service, all that matters.
 */
static void cache_targets(struct monitor_context *mc)
{
	size_t n = mc->index->kind_count[KIND_SERVICEMONITOR], pairs = 0, cap = 16, repeated = 0, lists = 0;
	size_t i, j, end, slot;
	const struct monitor_selection **by_list;
	const struct object **seen;
	uint64_t *twice;
	struct target_cache *cache;

	for (i = 0; i < n; i++)
		pairs += mc->selections[i].service_count;
	if (pairs < 2)
		return;
	/* Each list once, with how many selections share it: thousands of monitors that select the same
	 * thousands of Services are one list, not millions of pairs.  Sorted by address, the selections
	 * that share a list come together. */
	by_list = xmalloc(n * sizeof(*by_list));
	for (i = 0; i < n; i++)
		if (mc->selections[i].service_count)
			by_list[lists++] = &mc->selections[i];
	qsort(by_list, lists, sizeof(*by_list), compare_list_addresses);
	for (i = 0, pairs = 0; i < lists; i = end) {
		for (end = i + 1; end < lists && by_list[end]->services == by_list[i]->services; end++)
			;
		pairs += by_list[i]->service_count;
	}
	if (pairs > mc->index->kind_count[KIND_SERVICE])
		pairs = mc->index->kind_count[KIND_SERVICE];
	while (cap < 2 * pairs)
		cap *= 2;
	seen = xcalloc(cap, sizeof(*seen));
	twice = xcalloc(cap / 64 + 1, sizeof(*twice));
	for (i = 0; i < lists; i = end) {
		const struct monitor_selection *sel = by_list[i];

		for (end = i + 1; end < lists && by_list[end]->services == sel->services; end++)
			;
		for (j = 0; j < sel->service_count; j++) {
			const struct object *s = sel->services[j];

			for (slot = pointer_slot(s, cap - 1); seen[slot] && seen[slot] != s; slot = (slot + 1) & (cap - 1))
				;
			/* A list holds a Service once: seen before, it is in another list too. */
			if ((seen[slot] || end - i >= 2) && !(twice[slot / 64] >> (slot % 64) & 1)) {
				twice[slot / 64] |= (uint64_t)1 << (slot % 64);
				repeated++;
			}
			seen[slot] = s;
		}
	}
	free(by_list);
	/* The Services two or more hold move to the front, and the table shrinks to them. */
	for (i = 0, j = 0; i < cap; i++)
		if (twice[i / 64] >> (i % 64) & 1)
			seen[j++] = seen[i];
	free(twice);
	if (!repeated) {
		free(seen);
		return;
	}
	seen = xrealloc(seen, repeated * sizeof(*seen));
	cache = xcalloc(1, sizeof(*cache));
	for (cap = 16; cap < 2 * repeated; cap *= 2)
		;
	cache->slots = xcalloc(cap, sizeof(*cache->slots));
	cache->mask = cap - 1;
	for (i = 0; i < repeated; i++) {
		struct target_entry *e;

		for (slot = pointer_slot(seen[i], cache->mask); cache->slots[slot].service; slot = (slot + 1) & cache->mask)
			;
		e = &cache->slots[slot];
		e->service = seen[i];
		e->found[0] = monitor_target_ports(mc->index, seen[i], MONITOR_ROLE_ENDPOINTS, &e->ports[0]);
		e->found[1] = monitor_target_ports(mc->index, seen[i], MONITOR_ROLE_ENDPOINTSLICE, &e->ports[1]);
		shrink_ports(&e->ports[0]);
		shrink_ports(&e->ports[1]);
	}
	mc->targets = cache;
	free(seen);
}

static void free_targets(struct target_cache *cache)
{
	size_t i;

	if (!cache)
		return;
	for (i = 0; i <= cache->mask; i++) {
		port_list_release(&cache->slots[i].ports[0]);
		port_list_release(&cache->slots[i].ports[1]);
	}
	free(cache->slots);
	free(cache);
}

/* Whether the Service has backend objects under one of roles. */
static bool has_backends(const struct monitor_context *mc, const struct object *service, unsigned int roles)
{
	unsigned int role;
	bool found = false;

	for (role = MONITOR_ROLE_ENDPOINTS; role <= MONITOR_ROLE_ENDPOINTSLICE && !found; role <<= 1) {
		struct port_list own = { 0 };

		if (roles & role)
			targets_of(mc, service, role, &own, &found);
		port_list_release(&own);
	}
	return found;
}

size_t monitor_gather_ports(const struct monitor_selection *sel, const struct monitor_context *mc,
			    struct port_list *list)
{
	size_t known = 0, i, j, k;
	unsigned int role;

	for (i = 0; i < sel->service_count; i++) {
		unsigned int roles = sel->roles;
		const struct object *owners[64];
		size_t owner_count = 0;
		bool found = false;

		/* Backends only of the other role (servicemonitor-role-mismatch): their names still count. */
		if (!has_backends(mc, sel->services[i], roles))
			roles = MONITOR_ROLE_ENDPOINTS | MONITOR_ROLE_ENDPOINTSLICE;
		for (role = MONITOR_ROLE_ENDPOINTS; role <= MONITOR_ROLE_ENDPOINTSLICE; role <<= 1) {
			struct port_list own = { 0 };
			const struct port_list *more;
			size_t first_owner = owner_count;
			bool any;

			if (!(roles & role))
				continue;
			more = targets_of(mc, sel->services[i], role, &own, &any);
			if (any)
				found = true;
			/* The Endpoints (or the Service's own ports) can come back under both roles: once. */
			for (j = 0; j < more->count; j++) {
				const struct object *owner = more->items[j].owner;

				for (k = 0; k < first_owner && owners[k] != owner; k++)
					;
				if (k < first_owner)
					continue;
				/* Only the Endpoints or the Service repeat, and they come first: 64 is plenty. */
				if ((owner_count == first_owner || owners[owner_count - 1] != owner) &&
				    owner_count < sizeof(owners) / sizeof(owners[0]))
					owners[owner_count++] = owner;
				GROW(list->items, list->capacity, list->count + 1);
				list->items[list->count++] = more->items[j];
			}
			port_list_release(&own);
		}
		if (found)
			known++;
	}
	return known;
}

/*
 * The ports of selections, and rules' facts about them, kept from monitor to monitor through one
 * monitor_for_each() loop: those of thousands of monitors that select the same thousands of Services
 * were otherwise worked out again for each (the ports alone, two fifths of such a run).  Only
 * selections of SHARED_PORTS_MIN Services or more are kept (the rest cost little to work out), and
 * at most SHARED_PORTS_MAX ports in all (9 MiB of port_ref).
 */
#define SHARED_PORTS_MIN 16
#define SHARED_PORTS_MAX 100000

/* What is kept of a list of selected Services under some roles: its ports (compute NULL) or a fact. */
struct kept {
	const struct object **services;		/* the selection's list (shared: compared by address);
						 * NULL: an empty slot */
	unsigned int roles;
	monitor_fact_fn *compute;
	size_t value;				/* the fact, or for the ports monitor_gather_ports()'s count */
	struct port_list list;
};

struct selection_memo {
	struct kept *slots;			/* open addressing on the list's address */
	size_t mask, count, ports;
	struct port_list scratch;		/* the ports of a selection that are not kept */
};

/* The slot of what is kept of sel for compute, or the empty slot where it goes (slots made first). */
static struct kept *find_kept(struct selection_memo *memo, const struct monitor_selection *sel,
			      monitor_fact_fn *compute)
{
	size_t k;

	if (2 * (memo->count + 1) > (memo->slots ? memo->mask + 1 : 0)) {
		struct kept *old = memo->slots;
		size_t old_cap = old ? memo->mask + 1 : 0, i;

		memo->slots = xcalloc(old ? 2 * old_cap : 16, sizeof(*memo->slots));
		memo->mask = (old ? 2 * old_cap : 16) - 1;
		for (i = 0; i < old_cap; i++) {
			if (!old[i].services)
				continue;
			for (k = list_slot(old[i].services, memo->mask); memo->slots[k].services; k = (k + 1) & memo->mask)
				;
			memo->slots[k] = old[i];
		}
		free(old);
	}
	for (k = list_slot(sel->services, memo->mask); memo->slots[k].services; k = (k + 1) & memo->mask)
		if (memo->slots[k].services == sel->services && memo->slots[k].roles == sel->roles &&
		    memo->slots[k].compute == compute)
			break;
	return &memo->slots[k];
}

/* Fills the empty slot kept for sel and compute. */
static void keep(struct selection_memo *memo, struct kept *kept, const struct monitor_selection *sel,
		 monitor_fact_fn *compute, size_t value)
{
	kept->services = sel->services;
	kept->roles = sel->roles;
	kept->compute = compute;
	kept->value = value;
	memo->count++;
}

const struct port_list *monitor_selection_ports(const struct monitor_selection *sel, const struct monitor_context *mc,
						size_t *known)
{
	struct selection_memo *memo = mc->memo;
	struct kept *kept = NULL;

	if (sel->service_count >= SHARED_PORTS_MIN) {
		kept = find_kept(memo, sel, NULL);
		if (kept->services) {
			*known = kept->value;
			return &kept->list;
		}
	}
	memo->scratch.count = 0;
	*known = monitor_gather_ports(sel, mc, &memo->scratch);
	if (!kept || memo->ports + memo->scratch.count > SHARED_PORTS_MAX)
		return &memo->scratch;
	kept = find_kept(memo, sel, NULL);
	keep(memo, kept, sel, NULL, *known);
	kept->list = memo->scratch;
	memset(&memo->scratch, 0, sizeof(memo->scratch));
	memo->ports += kept->list.count;
	return &kept->list;
}

size_t monitor_selection_fact(const struct monitor_selection *sel, const struct monitor_context *mc,
			      monitor_fact_fn *compute)
{
	struct kept *kept;

	if (sel->service_count < SHARED_PORTS_MIN)
		return compute(sel, mc);
	kept = find_kept(mc->memo, sel, compute);
	if (!kept->services) {
		size_t value = compute(sel, mc);

		/* Looked up again: compute may have kept something itself, and moved the slots. */
		keep(mc->memo, find_kept(mc->memo, sel, compute), sel, compute, value);
		return value;
	}
	return kept->value;
}

void monitor_memo_begin(struct monitor_context *mc)
{
	mc->memo = xcalloc(1, sizeof(*mc->memo));
}

void monitor_memo_end(struct monitor_context *mc)
{
	struct selection_memo *memo = mc->memo;
	size_t i;

	if (!memo)
		return;
	for (i = 0; memo->slots && i <= memo->mask; i++)
		if (memo->slots[i].services)
			port_list_release(&memo->slots[i].list);
	free(memo->slots);
	port_list_release(&memo->scratch);
	free(memo);
	mc->memo = NULL;
}

void monitor_for_each(struct rule_ctx *ctx, const struct index *index,
		      void (*check)(struct rule_ctx *ctx, const struct monitor_context *mc, const struct object *m))
{
	struct monitor_context mc;
	size_t i;

	if (!index->kind_count[KIND_SERVICEMONITOR])
		return;
	monitor_context_share(&mc, ctx->monitors, ctx->arena);
	monitor_memo_begin(&mc);
	for (i = 0; i < index->kind_count[KIND_SERVICEMONITOR]; i++) {
		struct arena_mark mark = arena_mark(ctx->arena);

		check(ctx, &mc, index->by_kind[KIND_SERVICEMONITOR][i]);
		arena_rewind(ctx->arena, mark);
	}
	monitor_memo_end(&mc);
}

/* Whether the Service is selected: its labels match, or with RoleSelector its role objects do. */
static bool service_selected(const struct monitor_context *mc, const struct monitor_selection *sel,
			     const struct object *service)
{
	unsigned int role;

	if (object_matches(&sel->selector, service))
		return true;
	if (!sel->role_selector || !service_is_selectorless(service))
		return false;
	/* Prometheus filters the Endpoints or EndpointSlice objects themselves (#generateRoleSelectorConfig). */
	for (role = MONITOR_ROLE_ENDPOINTS; role <= MONITOR_ROLE_ENDPOINTSLICE; role <<= 1) {
		const struct object **objects;

		if (!(sel->roles & role))
			continue;
		for (objects = monitor_role_objects(mc, service, role); *objects; objects++)
			if (object_matches(&sel->selector, *objects))
				return true;
	}
	return false;
}

static int compare_strings(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Whether namespace is among the selection's (sorted) namespaces. */
static bool has_namespace(const struct monitor_selection *sel, const char *namespace)
{
	return sel->namespace_count &&
	       bsearch(&namespace, sel->namespaces, sel->namespace_count, sizeof(*sel->namespaces), compare_strings);
}

bool monitor_namespace_selected(const struct monitor_selection *sel, const struct object *service)
{
	if (service->scope != sel->monitor->scope)
		return false;
	if (sel->any_namespace || has_namespace(sel, service->namespace))
		return true;
	/* A Service without metadata.namespace may be applied to any namespace (index.h). */
	if (!service->namespace_explicit && sel->namespace_count)
		return true;
	/* A monitor without metadata.namespace looks in whatever namespace it is applied to. */
	return sel->own_namespace && !sel->monitor->namespace_explicit;
}

/* Appends a namespace; monitor_select() sized the array, and sorts and dedupes it afterwards. */
static void add_namespace(struct monitor_selection *sel, const char *namespace)
{
	sel->namespaces[sel->namespace_count++] = namespace;
}

/* namespaceSelector (#getNamespacesFromNamespaceSelector): any wins, then matchNames, else its own. */
static void read_namespaces(struct monitor_selection *sel, bool ignore)
{
	const struct node *ns = node_get(sel->monitor->spec, "namespaceSelector");
	const struct node *names = node_get(ns, "matchNames");
	unsigned int i;

	if (ignore) {
		add_namespace(sel, sel->monitor->namespace);
		sel->own_namespace = true;
		return;
	}
	if (is_true(node_get(ns, "any"))) {
		sel->any_namespace = true;
		return;
	}
	if (node_is_seq(names) && names->count) {
		for (i = 0; i < names->count; i++)
			if (node_str(names->u.items[i]))
				add_namespace(sel, node_str(names->u.items[i]));
		return;
	}
	add_namespace(sel, sel->monitor->namespace);
	sel->own_namespace = true;
}

/* Positions of the Services a monitor selects, grown as they are found: most monitors select one or
 * two Services, and room for every Service of the repository per monitor cost a large allocation each. */
struct position_list {
	size_t *items;
	size_t count, capacity;
};

static int compare_positions(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;

	return x < y ? -1 : x > y;
}

/* Whether the positions are in order already: one scan finds them in order, and sorting thousands of
 * them again for each of thousands of monitors cost a fifth of such a run. */
static bool in_order(const struct position_list *positions)
{
	size_t i;

	for (i = 1; i < positions->count; i++)
		if (positions->items[i] < positions->items[i - 1])
			return false;
	return true;
}

/*
 * Puts the positions (each below services) in order without repeats; returns how many remain.  Many
 * positions out of few Services (a monitor that selects a Service in each of thousands of
 * namespaces, which the scan visits in namespace order) go through a bitmap of the Services, in time
 * linear in both counts: sorting them took a fifth of such a run.  Few go through qsort.
 */
static size_t order_positions(struct position_list *positions, size_t services)
{
	size_t words = services / 64 + 1, unique = 0, i;
	unsigned int b;
	uint64_t *bits;

	if (positions->count < words) {
		qsort(positions->items, positions->count, sizeof(*positions->items), compare_positions);
		for (i = 0; i < positions->count; i++)
			if (i == 0 || positions->items[i] != positions->items[unique - 1])
				positions->items[unique++] = positions->items[i];
		return unique;
	}
	bits = xcalloc(words, sizeof(*bits));
	for (i = 0; i < positions->count; i++)
		bits[positions->items[i] / 64] |= (uint64_t)1 << (positions->items[i] % 64);
	for (i = 0; i < words; i++)
		for (b = 0; b < 64 && bits[i] >> b; b++)
			if (bits[i] >> b & 1)
				positions->items[unique++] = i * 64 + b;
	free(bits);
	return unique;
}

/* Adds the Service of entry i to positions if the monitor selects it. */
static void scan_entry(struct monitor_selection *sel, const struct monitor_context *mc, size_t i, bool unset_only,
		       struct position_list *positions)
{
	const struct object *s = service_at(mc, i);

	if (s->scope != sel->monitor->scope || (unset_only && s->namespace_explicit))
		return;
	if (!monitor_namespace_selected(sel, s))
		return;
	/* Manifests rarely hold a whole cluster: "every namespace" is never covered. */
	if (!sel->any_namespace && has_namespace(sel, s->namespace))
		sel->namespaces_covered = true;
	if (service_selected(mc, sel, s)) {
		GROW(positions->items, positions->capacity, positions->count + 1);
		positions->items[positions->count++] = mc->services[i];
	}
}

/* Whether entry i would count as covering one of the selection's namespaces (see scan_entry). */
static bool covers(const struct monitor_selection *sel, const struct monitor_context *mc, size_t i, bool unset_only)
{
	const struct object *s = service_at(mc, i);

	return s->scope == sel->monitor->scope && !(unset_only && s->namespace_explicit) &&
	       monitor_namespace_selected(sel, s) && !sel->any_namespace && has_namespace(sel, s->namespace);
}

/*
 * Adds the Services of entries [from, to) that the monitor selects to positions.  With a pivot (a
 * matchLabels entry every selected Service must carry), only the Services carrying it are visited.
 */
static void scan(struct monitor_selection *sel, const struct monitor_context *mc, size_t from, size_t to,
		 bool unset_only, const struct selector_requirement *pivot, const char *namespace,
		 struct position_list *positions)
{
	const struct monitor_label_index *li;
	uint32_t hash;
	size_t i, k;

	if (!pivot || !mc->labels) {
		for (i = from; i < to; i++)
			scan_entry(sel, mc, i, unset_only, positions);
		return;
	}
	index_key(mc, pivot->key);
	if (!namespace)
		index_any_namespace(mc);
	/* The hits of the label in [from, to): one run, in the order of entries. */
	li = mc->labels;
	hash = label_hash(sel->monitor->scope, namespace, pivot->key, pivot->values[0]);
	for (k = first_hit(li, hash, (uint32_t)from); k < li->hit_count && li->hits[k].hash == hash &&
						  li->hits[k].entry < to; k++)
		scan_entry(sel, mc, li->hits[k].entry, unset_only, positions);
	for (i = from; i < to && !sel->namespaces_covered; i++)
		if (covers(sel, mc, i, unset_only))
			sel->namespaces_covered = true;
}

/* The end of the run of entries that share scope and namespace with entry from: a binary search, as
 * first_in_namespace() is (a scan compared every Service of a namespace once per ServiceMonitor). */
static size_t end_of_namespace(const struct monitor_context *mc, size_t from, unsigned int scope,
			       const char *namespace)
{
	size_t low = from, high = mc->service_count;

	while (low < high) {
		size_t mid = low + (high - low) / 2;
		const struct object *s = service_at(mc, mid);

		if (s->scope < scope || (s->scope == scope && strcmp(s->namespace, namespace) <= 0))
			low = mid + 1;
		else
			high = mid;
	}
	return low;
}

/* A matchLabels entry that every selected Service carries, when labels alone decide. */
static const struct selector_requirement *pivot_of(const struct monitor_selection *sel)
{
	size_t i;

	if (sel->role_selector || sel->selector.kind != SELECTOR_REQUIREMENTS)
		return NULL;
	for (i = 0; i < sel->selector.count; i++)
		if (sel->selector.requirements[i].operator == SELECTOR_EQUALS &&
		    sel->selector.requirements[i].value_count == 1)
			return &sel->selector.requirements[i];
	return NULL;
}

/*
 * The lists of selected Services made so far, by their contents: monitors that select the same
 * Services (however their selectors are written) share one list.  Thousands of monitors that each
 * select the same thousands of Services otherwise held a list each: 200 MB for 5,000 of them.  Lists
 * are never written once made.
 */
struct shared_list {
	uint64_t hash;			/* 0: empty slot */
	const struct object **services;
	size_t count;
};

/*
 * The scans done, by what decides a scan: the scope, the namespaces and how they are looked in, and
 * the selector, written out as bytes (selection_key()).  Monitors alike in all of that select alike,
 * however they differ otherwise: thousands of copies of one monitor (a chart installed in each
 * namespace, selecting across all of them) scan the Services once, not once each.  A slot names the
 * selection that did the scan; its key is written again to compare (8 bytes a slot: 48-byte slots
 * that held the keys added 2.9 MB to the peak at 100,000 apps).
 */
struct scan_slot {
	uint32_t hash;
	uint32_t selection;		/* its place in mc->selections + 1; 0: an empty slot */
};

struct key_bytes {
	unsigned char *bytes;
	size_t length, capacity;
};

struct service_lists {
	struct shared_list *slots;
	size_t mask;
	struct scan_slot *scans;	/* as many slots as slots above: one at most per monitor */
	struct key_bytes key, other;	/* the key looked up, and the key of a slot's selection */
};

static uint64_t positions_hash(const size_t *positions, size_t count)
{
	uint64_t h = 1469598103934665603ull ^ count;
	size_t i;

	for (i = 0; i < count; i++)
		h = (h ^ positions[i]) * 1099511628211ull;
	return h ? h : 1;
}

static bool same_list(const struct shared_list *list, const struct monitor_context *mc, const size_t *positions,
		      size_t count)
{
	size_t i;

	if (list->count != count)
		return false;
	for (i = 0; i < count; i++)
		if (list->services[i] != mc->index->by_kind[KIND_SERVICE][positions[i]])
			return false;
	return true;
}

/* The list of the Services at positions (in order, no repeats), made or found in mc->lists. */
static const struct object **service_list(const struct monitor_context *mc, const size_t *positions, size_t count)
{
	struct service_lists *lists = mc->lists;
	uint64_t hash = positions_hash(positions, count);
	const struct object **services;
	struct shared_list *slot = NULL;
	size_t i;

	if (lists) {
		for (i = (size_t)hash & lists->mask; lists->slots[i].hash; i = (i + 1) & lists->mask)
			if (lists->slots[i].hash == hash && same_list(&lists->slots[i], mc, positions, count))
				return lists->slots[i].services;
		slot = &lists->slots[i];
	}
	services = arena_alloc(mc->arena, (count + 1) * sizeof(*services));
	for (i = 0; i < count; i++)
		services[i] = mc->index->by_kind[KIND_SERVICE][positions[i]];
	if (slot) {
		slot->hash = hash;
		slot->services = services;
		slot->count = count;
	}
	return services;
}

static void key_add(struct key_bytes *key, const void *bytes, size_t length)
{
	GROW(key->bytes, key->capacity, key->length + length);
	memcpy(key->bytes + key->length, bytes, length);
	key->length += length;
}

static void key_add_size(struct key_bytes *key, size_t n)
{
	key_add(key, &n, sizeof(n));
}

static void key_add_text(struct key_bytes *key, const char *text)
{
	key_add(key, text, strlen(text) + 1);
}

/*
 * Writes in key all that collect_services() reads of sel: the monitor's scope and whether it has a
 * namespace of its own, the namespaces and how they are looked in, the selector's requirements in
 * order, and for a RoleSelector the roles (service_selected()).  Texts end at their NUL, lists start
 * with their count: two keys are equal only when all of that is.
 */
static void selection_key(struct key_bytes *key, const struct monitor_selection *sel)
{
	size_t i, j;

	key->length = 0;
	key_add_size(key, sel->monitor->scope);
	key_add_size(key, (size_t)sel->any_namespace | (size_t)sel->own_namespace << 1 |
				  (size_t)sel->monitor->namespace_explicit << 2 | (size_t)sel->role_selector << 3);
	key_add_size(key, sel->role_selector ? sel->roles : 0);
	key_add_size(key, sel->namespace_count);
	for (i = 0; i < sel->namespace_count; i++)
		key_add_text(key, sel->namespaces[i]);
	key_add_size(key, sel->selector.kind);
	key_add_size(key, sel->selector.count);
	for (i = 0; i < sel->selector.count; i++) {
		const struct selector_requirement *r = &sel->selector.requirements[i];

		key_add_text(key, r->key);
		key_add_size(key, r->operator);
		key_add_size(key, r->value_count);
		for (j = 0; j < r->value_count; j++)
			key_add_text(key, r->values[j]);
	}
}

/* The slot of sel's key among the scans: one whose selection has an equal key, or the empty slot
 * where sel goes.  *hash gets the key's hash. */
static struct scan_slot *find_scan(const struct monitor_context *mc, const struct monitor_selection *sel,
				   uint32_t *hash)
{
	struct service_lists *lists = mc->lists;
	uint64_t h = 1469598103934665603ull;
	size_t i;

	selection_key(&lists->key, sel);
	for (i = 0; i < lists->key.length; i++)
		h = (h ^ lists->key.bytes[i]) * 1099511628211ull;
	*hash = (uint32_t)(h ^ h >> 32);
	for (i = (size_t)*hash & lists->mask; lists->scans[i].selection; i = (i + 1) & lists->mask) {
		if (lists->scans[i].hash != *hash)
			continue;
		selection_key(&lists->other, &mc->selections[lists->scans[i].selection - 1]);
		if (lists->other.length == lists->key.length &&
		    memcmp(lists->other.bytes, lists->key.bytes, lists->key.length) == 0)
			break;
	}
	return &lists->scans[i];
}

/* Works out sel->services and sel->namespaces_covered; sel->status becomes MONITOR_UNKNOWN when a
 * selected Service is defined twice. */
static void collect_services(struct monitor_selection *sel, const struct monitor_context *mc)
{
	/* A Service can be scanned twice (its namespace and the unset ones): duplicates go below. */
	struct position_list positions = { NULL, 0, 0 };
	size_t unique = 0, i;
	unsigned int scope = sel->monitor->scope;
	const struct selector_requirement *pivot = pivot_of(sel);
	struct scan_slot *slot = NULL;
	uint32_t hash = 0;

	if (mc->lists) {
		slot = find_scan(mc, sel, &hash);
		if (slot->selection) {
			const struct monitor_selection *done = &mc->selections[slot->selection - 1];

			sel->services = done->services;
			sel->service_count = done->service_count;
			sel->namespaces_covered = done->namespaces_covered;
			sel->status = done->status;
			return;
		}
	}
	if (sel->any_namespace || (sel->own_namespace && !sel->monitor->namespace_explicit)) {
		scan(sel, mc, 0, mc->service_count, false, pivot, NULL, &positions);
	} else {
		for (i = 0; i < sel->namespace_count; i++) {
			size_t from = first_in_namespace(mc, scope, sel->namespaces[i]);

			scan(sel, mc, from, end_of_namespace(mc, from, scope, sel->namespaces[i]), false, pivot,
			     sel->namespaces[i], &positions);
		}
		if (mc->unset_namespace) {
			size_t from = first_in_namespace(mc, scope, mc->unset_namespace);

			scan(sel, mc, from, end_of_namespace(mc, from, scope, mc->unset_namespace), true, pivot,
			     mc->unset_namespace, &positions);
		}
	}
	if (in_order(&positions)) {
		for (i = 0; i < positions.count; i++)
			if (i == 0 || positions.items[i] != positions.items[unique - 1])
				positions.items[unique++] = positions.items[i];
	} else {
		unique = order_positions(&positions, mc->index->kind_count[KIND_SERVICE]);
	}
	sel->services = service_list(mc, positions.items, unique);
	sel->service_count = unique;
	free(positions.items);
	/* Nor can anyone tell which definition of a duplicated Service the monitor would meet. */
	for (i = 0; i < sel->service_count; i++)
		if (!object_is_unique(mc->index, sel->services[i]))
			sel->status = MONITOR_UNKNOWN;
	/* Only the selections select_all() works out have a place to be named by. */
	if (slot) {
		slot->hash = hash;
		slot->selection = (uint32_t)(sel - mc->selections) + 1;
	}
}

static enum monitor_status select_monitor(struct monitor_selection *out, const struct monitor_context *mc,
					  const struct object *monitor);

/* Where a monitor's probe starts in mc->selection_slots (of any number of slots). */
static size_t selection_home(const struct monitor_context *mc, const struct object *monitor)
{
	uint32_t h = (uint32_t)((((uintptr_t)monitor >> 4) * 0x9E3779B97F4A7C15ull) >> 32);

	return (size_t)(((uint64_t)h * mc->selection_capacity) >> 32);
}

static size_t next_selection_slot(const struct monitor_context *mc, size_t slot)
{
	return slot + 1 < mc->selection_capacity ? slot + 1 : 0;
}

/* Works out every ServiceMonitor's selection once, before rules read them from several threads. */
static void select_all(struct monitor_context *mc)
{
	size_t n = mc->index->kind_count[KIND_SERVICEMONITOR], i, cap = 16;
	struct service_lists lists;

	while (cap < 2 * n + 2)
		cap *= 2;
	mc->selections = arena_alloc(mc->arena, (n + 1) * sizeof(*mc->selections));
	/* Kept through the rules: half as many slots again as monitors, of 4 bytes (a power of two of 8-byte
	 * slots, at least twice the monitors, took 0.5 MB at 100,000 apps). */
	mc->selection_capacity = n + n / 2 + 16;
	mc->selection_slots = arena_zalloc(mc->arena, mc->selection_capacity * sizeof(*mc->selection_slots));
	/* At most one new list per monitor: the table stays at most half full. */
	memset(&lists, 0, sizeof(lists));
	lists.slots = xcalloc(cap, sizeof(*lists.slots));
	lists.scans = xcalloc(cap, sizeof(*lists.scans));
	lists.mask = cap - 1;
	mc->lists = &lists;
	for (i = 0; i < n; i++) {
		const struct object *m = mc->index->by_kind[KIND_SERVICEMONITOR][i];
		size_t slot;

		select_monitor(&mc->selections[i], mc, m);
		for (slot = selection_home(mc, m); mc->selection_slots[slot]; slot = next_selection_slot(mc, slot))
			;
		mc->selection_slots[slot] = (uint32_t)i + 1;
	}
	mc->lists = NULL;
	free(lists.slots);
	free(lists.scans);
	free(lists.key.bytes);
	free(lists.other.bytes);
	/* Every ServiceMonitor of the index is selected now, and rules find theirs in mc->selections:
	 * the label index (3 MB at 100,000 apps) goes before the target ports are cached and the rules
	 * run.  A selection not worked out here visits the Services without it (scan()). */
	label_index_release(mc);
	cache_targets(mc);
}

enum monitor_status monitor_select(struct monitor_selection *out, const struct monitor_context *mc,
				   const struct object *monitor)
{
	size_t slot;

	if (mc->selection_slots)
		for (slot = selection_home(mc, monitor); mc->selection_slots[slot]; slot = next_selection_slot(mc, slot)) {
			const struct monitor_selection *cached = &mc->selections[mc->selection_slots[slot] - 1];

			if (cached->monitor == monitor) {
				*out = *cached;
				return out->status;
			}
		}
	return select_monitor(out, mc, monitor);
}

static enum monitor_status select_monitor(struct monitor_selection *out, const struct monitor_context *mc,
					  const struct object *monitor)
{
	const struct node *selector = node_get(monitor->spec, "selector");
	unsigned int own_role = role_of(monitor->spec);
	bool ignoring = false, honouring = false;
	const struct node *names;
	struct selector_error error;
	/* Gathered here, then kept at their number: every ServiceMonitor keeps its own array. */
	const struct prometheus_info *small[16], **by = small;
	const char *few[16];
	size_t i, kept;

	memset(out, 0, sizeof(*out));
	out->monitor = monitor;
	out->role_selector = node_text_eq(node_get(monitor->spec, "selectorMechanism"), "RoleSelector");
	if (mc->prometheus_count > sizeof(small) / sizeof(small[0]))
		by = xmalloc(mc->prometheus_count * sizeof(*by));
	for (i = 0; i < mc->prometheus_count; i++) {
		const struct prometheus_info *p = &mc->prometheus[i];
		unsigned int role;

		if (prometheus_selects(mc, p, monitor, NULL) == MONITOR_NO)
			continue;
		by[out->selected_by_count++] = p;
		role = own_role ? own_role : p->role;
		out->roles |= p->slices_supported ? role : MONITOR_ROLE_ENDPOINTS;
		if (p->ignore_namespace_selectors)
			ignoring = true;
		else
			honouring = true;
	}
	if (out->selected_by_count) {
		out->selected_by = arena_alloc(mc->arena, out->selected_by_count * sizeof(*out->selected_by));
		memcpy(out->selected_by, by, out->selected_by_count * sizeof(*by));
	}
	if (by != small)
		free(by);
	if (!out->selected_by_count) {
		/* No Prometheus here selects it: prometheus-operator's defaults. */
		out->roles = own_role ? own_role : MONITOR_ROLE_ENDPOINTS;
		honouring = true;
	}
	/* Gathered here too, then kept at their number: most monitors look in one namespace, and room
	 * for two more beside it, in every monitor's selection, took 0.3 MB at 100,000 apps. */
	names = node_get_path(monitor->spec, "namespaceSelector.matchNames");
	if ((node_is_seq(names) ? names->count : 0) + 2 > sizeof(few) / sizeof(few[0]))
		out->namespaces = xmalloc(((node_is_seq(names) ? names->count : 0) + 2) * sizeof(*out->namespaces));
	else
		out->namespaces = few;
	if (honouring)
		read_namespaces(out, false);
	if (ignoring)
		read_namespaces(out, true);
	qsort(out->namespaces, out->namespace_count, sizeof(*out->namespaces), compare_strings);
	for (i = 0, kept = 0; i < out->namespace_count; i++)
		if (!kept || strcmp(out->namespaces[kept - 1], out->namespaces[i]) != 0)
			out->namespaces[kept++] = out->namespaces[i];
	out->namespace_count = kept;
	{
		const char **gathered = out->namespaces;

		out->namespaces = arena_alloc(mc->arena, (kept ? kept : 1) * sizeof(*out->namespaces));
		memcpy(out->namespaces, gathered, kept * sizeof(*out->namespaces));
		if (gathered != few)
			free(gathered);
	}
	/* A ServiceMonitor defined twice (duplicate-object): only one of the definitions will exist. */
	if (!selector || node_is_null(selector) || !object_is_unique(mc->index, monitor)) {
		out->status = MONITOR_UNKNOWN;
		return out->status;
	}
	if (selector_parse(&out->selector, mc->arena, selector, &error) != 0) {
		struct selector_error *copy = arena_alloc(mc->arena, sizeof(*copy));

		*copy = error;
		out->error = copy;
		out->status = MONITOR_INVALID;
		return out->status;
	}
	if (out->selector.kind == SELECTOR_UNKNOWN) {
		out->status = MONITOR_UNKNOWN;
		return out->status;
	}
	/* MONITOR_UNKNOWN too when a selected Service is defined twice. */
	collect_services(out, mc);
	return out->status;
}

const char *monitor_describe_namespaces(struct arena *arena, const struct monitor_selection *sel)
{
	const char *text;
	size_t i;

	if (sel->any_namespace)
		return "every namespace";
	if (sel->own_namespace && !sel->monitor->namespace_explicit && sel->namespace_count == 1)
		return "the namespace it is applied to (it sets none)";
	text = sel->namespace_count == 1 ? "namespace " : "namespaces ";
	for (i = 0; i < sel->namespace_count; i++)
		text = arena_printf(arena, "%s%s'%s'", text, i ? ", " : "", sel->namespaces[i]);
	return text;
}
