/* index.c: open-addressing hash tables over objects, and the pairing of Services with backends. */
#include "index.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

enum table_space { SPACE_EXACT, SPACE_NAME, SPACE_SLICE, SPACE_SLICE_ANY };

/* Eight bytes a slot: objects are named by their position in the index's array + 1 (0: none).  The
 * head is the first object of the key's chain in input order (index_build() inserts the objects last
 * to first, each at the head). */
struct slot {
	uint32_t hash;		/* 0: empty */
	uint32_t head;
};

struct index_table {
	struct slot *slots;
	size_t capacity;	/* any number: a hash's probe starts at home() */
	size_t used;
	struct object **objects;	/* the index's */
};

/* Where a hash's probe starts: its place among capacity slots, by multiplying, so that a table is
 * sized by what it holds and not rounded up to a power of two. */
static size_t home(size_t capacity, uint32_t hash)
{
	return (size_t)(((uint64_t)hash * capacity) >> 32);
}

static uint64_t mix(uint64_t h, const char *s)
{
	/* FNV-1a over the string and its terminator, so "ab"+"c" and "a"+"bc" differ. */
	do {
		h ^= (unsigned char)*s;
		h *= 1099511628211ull;
	} while (*s++);
	return h;
}

static uint32_t key_hash(enum table_space space, unsigned int scope, enum object_kind kind,
			 const char *namespace, const char *name)
{
	uint64_t h = 14695981039346656037ull;
	uint32_t folded;

	h ^= (uint64_t)space * 0x9E3779B97F4A7C15ull ^ (uint64_t)scope << 8 ^ (uint64_t)kind << 40;
	h *= 1099511628211ull;
	if (namespace)
		h = mix(h, namespace);
	h = mix(h, name);
	folded = (uint32_t)(h ^ (h >> 32));
	return folded ? folded : 1;
}

static bool same_key(const struct object *o, enum table_space space, unsigned int scope, enum object_kind kind,
		     const char *namespace, const char *name)
{
	if (o->scope != scope)
		return false;
	switch (space) {
	case SPACE_EXACT:
		return o->kind == kind && strcmp(o->namespace, namespace) == 0 && strcmp(o->name, name) == 0;
	case SPACE_NAME:
		return o->kind == kind && strcmp(o->name, name) == 0;
	case SPACE_SLICE:
		return o->kind == KIND_ENDPOINTSLICE && strcmp(o->namespace, namespace) == 0 &&
		       strcmp(object_label(o, SERVICE_NAME_LABEL), name) == 0;
	case SPACE_SLICE_ANY:
		return o->kind == KIND_ENDPOINTSLICE && strcmp(object_label(o, SERVICE_NAME_LABEL), name) == 0;
	}
	return false;
}

static struct slot *lookup(const struct index_table *t, uint32_t hash, enum table_space space, unsigned int scope,
			   enum object_kind kind, const char *namespace, const char *name)
{
	size_t i = home(t->capacity, hash);

	for (;; i = i + 1 < t->capacity ? i + 1 : 0) {
		struct slot *s = &t->slots[i];

		if (!s->hash)
			return s;
		if (s->hash == hash && same_key(t->objects[s->head - 1], space, scope, kind, namespace, name))
			return s;
	}
}

static uint32_t *chain_of(struct object *o, enum table_space space)
{
	switch (space) {
	case SPACE_EXACT: return &o->next_same;
	case SPACE_NAME: return &o->next_same_name;
	case SPACE_SLICE: return &o->next_for_service;
	default: return &o->next_for_service_any;
	}
}

/* Adds objects[at] under its key in space, at the head of the key's chain. */
static void insert(struct index_table *t, size_t at, enum table_space space, const char *namespace,
		   const char *name)
{
	struct object *o = t->objects[at];
	uint32_t h = key_hash(space, o->scope, space >= SPACE_SLICE ? KIND_ENDPOINTSLICE : o->kind, namespace, name);
	struct slot *s = lookup(t, h, space, o->scope, o->kind, namespace, name);

	if (!s->hash) {
		s->hash = h;
		t->used++;
	} else {
		*chain_of(o, space) = s->head;
	}
	s->head = (uint32_t)at + 1;
}

/* One scope and namespace of a kind's objects, and how many objects it has. */
struct namespace_group {
	unsigned int scope;
	uint32_t hash;
	const char *namespace;
	size_t size;
};

static int compare_groups(const void *pa, const void *pb)
{
	const struct namespace_group *a = pa, *b = pb;

	if (a->scope != b->scope)
		return a->scope < b->scope ? -1 : 1;
	return strcmp(a->namespace, b->namespace);
}

/* The group of scope and namespace in groups[0..*count), added when new; slots (open addressing, *mask
 * + 1 of them, group + 1 each, 0: empty) find it, and grow with the groups. */
static size_t group_of(struct namespace_group **groups, size_t *count, size_t *capacity, uint32_t **slots,
		       size_t *mask, unsigned int scope, const char *namespace)
{
	uint64_t h64 = mix(14695981039346656037ull ^ scope, namespace);
	uint32_t h = (uint32_t)(h64 ^ (h64 >> 32));
	size_t i, g;

	for (i = h & *mask; (*slots)[i]; i = (i + 1) & *mask) {
		struct namespace_group *at = &(*groups)[(*slots)[i] - 1];

		if (at->hash == h && at->scope == scope &&
		    (at->namespace == namespace || strcmp(at->namespace, namespace) == 0))
			return (*slots)[i] - 1;
	}
	g = (*count)++;
	GROW(*groups, *capacity, *count);
	(*groups)[g] = (struct namespace_group){ scope, h, namespace, 0 };
	(*slots)[i] = (uint32_t)g + 1;
	if (2 * *count > *mask) {
		size_t bigger = 2 * (*mask + 1), j;
		uint32_t *grown = xcalloc(bigger, sizeof(*grown));

		for (j = 0; j < *count; j++) {
			for (i = (*groups)[j].hash & (bigger - 1); grown[i]; i = (i + 1) & (bigger - 1))
				;
			grown[i] = (uint32_t)j + 1;
		}
		free(*slots);
		*slots = grown;
		*mask = bigger - 1;
	}
	return g;
}

/*
 * namespace_order[k]: by_kind[k] ordered by scope, then namespace, then input order.  Each distinct scope
 * and namespace is found once through a hash table (the objects of a file mostly share one pooled
 * namespace, which is not hashed again), the few groups are sorted, and the objects placed by counting,
 * in input order within a group.  A qsort of the objects, comparing namespaces, took 38 million
 * instructions at 20,000 apps.  The ServiceMonitor tables use the Services' order too.
 */
static void sort_by_namespace(struct index *index, enum object_kind k)
{
	struct object *const *objects = index->by_kind[k];
	size_t n = index->kind_count[k], count = 0, capacity = 0, mask = 15, g = 0, i, at;
	struct namespace_group *groups = NULL;
	uint32_t *slots = xcalloc(mask + 1, sizeof(*slots));
	uint32_t *group = xmalloc((n + 1) * sizeof(*group));
	uint32_t *order = xmalloc((n + 1) * sizeof(*order));
	size_t *rank;

	for (i = 0; i < n; i++) {
		const struct object *o = objects[i];

		if (i == 0 || o->namespace != objects[i - 1]->namespace || o->scope != objects[i - 1]->scope)
			g = group_of(&groups, &count, &capacity, &slots, &mask, o->scope, o->namespace);
		group[i] = (uint32_t)g;
		groups[g].size++;
	}
	free(slots);
	/* The groups in order; rank[g] is where group g's first object goes. */
	rank = xmalloc((count + 1) * sizeof(*rank));
	{
		struct namespace_group *sorted = xmalloc((count + 1) * sizeof(*sorted));

		for (i = 0; i < count; i++) {
			sorted[i] = groups[i];
			sorted[i].hash = (uint32_t)i;	/* which group it was */
		}
		qsort(sorted, count, sizeof(*sorted), compare_groups);
		for (i = 0, at = 0; i < count; i++) {
			rank[sorted[i].hash] = at;
			at += sorted[i].size;
		}
		free(sorted);
	}
	for (i = 0; i < n; i++)
		order[rank[group[i]]++] = (uint32_t)i;
	free(rank);
	free(group);
	free(groups);
	index->namespace_order[k] = order;
}

void index_namespace_range(const struct index *index, enum object_kind kind, unsigned int scope,
			   const char *namespace, size_t *from, size_t *to)
{
	size_t low = 0, high = index->kind_count[kind];

	while (low < high) {
		size_t mid = low + (high - low) / 2;
		const struct object *o = index_by_namespace(index, kind, mid);

		if (o->scope < scope || (o->scope == scope && strcmp(o->namespace, namespace) < 0))
			low = mid + 1;
		else
			high = mid;
	}
	*from = low;
	/* The end too by halves: a search in a namespace of many objects must not walk them. */
	high = index->kind_count[kind];
	while (low < high) {
		size_t mid = low + (high - low) / 2;
		const struct object *o = index_by_namespace(index, kind, mid);

		if (o->scope == scope && strcmp(o->namespace, namespace) <= 0)
			low = mid + 1;
		else
			high = mid;
	}
	*to = low;
}

static void learn_backends(struct index *index);

/* The near-miss keys of each kind, made once the searches have read enough names to pay for them
 * (index rules run in threads: any may ask, one makes them). */
struct near_cache {
	pthread_mutex_t lock;
	_Atomic(struct near_key *) keys[KIND_COUNT];
	atomic_size_t read[KIND_COUNT];		/* names the searches read without keys so far */
};

/* Keys cost 12 bytes per object of the kind, at the peak of the run: they are made only once the
 * searches without them have read this many times as many names as the kind holds.  A few searches
 * in each namespace (most repositories) never reach it; thousands in one namespace soon do. */
#define NEAR_KEYS_AFTER 16

/* The table at half as many slots again as it holds keys, each moved to where its hash now leads:
 * the keys are distinct, so none is compared. */
static void table_fit(struct index_table *t)
{
	size_t capacity = t->used + t->used / 2 + 16, i, j;
	struct slot *slots;

	if (capacity >= t->capacity)
		return;
	slots = xcalloc(capacity, sizeof(*slots));
	for (i = 0; i < t->capacity; i++) {
		if (!t->slots[i].hash)
			continue;
		for (j = home(capacity, t->slots[i].hash); slots[j].hash; j = j + 1 < capacity ? j + 1 : 0)
			;
		slots[j] = t->slots[i];
	}
	free(t->slots);
	t->slots = slots;
	t->capacity = capacity;
}

void index_build(struct index *index, struct object **objects, size_t count)
{
	struct index_table *t = xcalloc(1, sizeof(*t));
	size_t i, k, keys = 0;

	memset(index, 0, sizeof(*index));
	index->objects = objects;
	index->count = count;
	index->table = t;
	t->objects = objects;
	for (i = 0; i < count; i++) {
		const struct object *o = objects[i];

		index->kind_count[o->kind]++;
		index->unset_count[o->kind] += !o->namespace_explicit;
		/* The keys insert() adds for it below, at most. */
		keys += o->kind == KIND_OTHER ? 1 : 2;
		if (o->kind == KIND_ENDPOINTSLICE && object_label(o, SERVICE_NAME_LABEL))
			keys += 2;
	}
	/* Room for every key an object may add, then, once they are in, for those there are: objects of
	 * one name in many namespaces share their name's key, and the table of every key possible stood
	 * three fifths empty (4 MB at 100,000 apps, through the run of the index rules). */
	t->capacity = keys + keys / 2 + 16;
	t->slots = xcalloc(t->capacity, sizeof(*t->slots));
	/* Objects grouped by kind (the engine gathers them so) are each kind's array already: a copy of
	 * them took 1.3 MB at 100,000 apps, at the run's peak. */
	for (i = 1; i < count && objects[i - 1]->kind <= objects[i]->kind; i++)
		;
	index->by_kind_shared = i >= count;
	for (k = 0, i = 0; k < KIND_COUNT; k++) {
		if (index->by_kind_shared)
			index->by_kind[k] = objects + i;
		else
			index->by_kind[k] = xmalloc((index->kind_count[k] + 1) * sizeof(struct object *));
		i += index->kind_count[k];
	}
	for (k = 0; !index->by_kind_shared && k < KIND_COUNT; k++)
		index->kind_count[k] = 0;
	for (i = 0; i < count; i++) {
		struct object *o = objects[i];

		if (!index->by_kind_shared)
			index->by_kind[o->kind][index->kind_count[o->kind]++] = o;
		o->next_same = o->next_same_name = o->next_for_service = o->next_for_service_any = 0;
		o->backends = NULL;
	}
	/* Last to first, each at the head of its chains: the chains run in input order. */
	for (i = count; i-- > 0;) {
		struct object *o = objects[i];
		const char *service;

		insert(t, i, SPACE_EXACT, o->namespace, o->name);
		if (o->kind == KIND_OTHER)
			continue;
		insert(t, i, SPACE_NAME, NULL, o->name);
		service = o->kind == KIND_ENDPOINTSLICE ? object_label(o, SERVICE_NAME_LABEL) : NULL;
		if (service) {
			insert(t, i, SPACE_SLICE, o->namespace, service);
			insert(t, i, SPACE_SLICE_ANY, NULL, service);
		}
	}
	table_fit(t);
	for (k = 0; k < KIND_COUNT; k++)
		sort_by_namespace(index, (enum object_kind)k);
	/* An object is unique when its exact chain is itself alone; rules ask this often.  A chain
	 * of one is an object no other's next_same names, with no next_same of its own. */
	for (i = 0; i < count; i++)
		objects[i]->unique = !objects[i]->next_same;
	for (i = 0; i < count; i++)
		if (objects[i]->next_same)
			index_at(index, objects[i]->next_same)->unique = false;
	learn_backends(index);
	index->near = xcalloc(1, sizeof(*index->near));
	if (pthread_mutex_init(&index->near->lock, NULL) != 0) {
		free(index->near);	/* the searches then read the names themselves */
		index->near = NULL;
	}
}

void index_release(struct index *index)
{
	size_t k;

	if (index->table) {
		free(index->table->slots);
		free(index->table);
	}
	for (k = 0; index->backends_known && k < index->kind_count[KIND_SERVICE]; k++)
		index->by_kind[KIND_SERVICE][k]->backends = NULL;
	free(index->backends);
	free(index->backend_slices);
	free(index->no_backends);
	for (k = 0; k < KIND_COUNT; k++) {
		if (!index->by_kind_shared)
			free(index->by_kind[k]);
		free(index->namespace_order[k]);
	}
	if (index->near) {
		for (k = 0; k < KIND_COUNT; k++)
			free(atomic_load(&index->near->keys[k]));
		pthread_mutex_destroy(&index->near->lock);
		free(index->near);
	}
	memset(index, 0, sizeof(*index));
}

/* The class of a byte in near_key.classes: letters folded as strcasecmp() folds them (svclint runs in
 * the C locale), digits five to a class, everything else one. */
static unsigned int near_class(unsigned char c)
{
	if (c >= 'a' && c <= 'z')
		return c - 'a';
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= '0' && c <= '9')
		return 26 + (c - '0') / 2;
	return 31;
}

void near_key_make(struct near_key *key, const char *name)
{
	size_t n;
	uint32_t classes = 0;

	memset(key, 0, sizeof(*key));
	if (!name || (n = strlen(name)) >= NEAR_KEY_UNKNOWN) {
		key->length = NEAR_KEY_UNKNOWN;
		return;
	}
	key->length = (uint16_t)n;
	memcpy(key->head, name, n < 3 ? n : 3);
	memcpy(key->tail, name + (n < 3 ? 0 : n - 3), n < 3 ? n : 3);
	for (; *name; name++)
		classes |= 1u << near_class((unsigned char)*name);
	key->classes = classes;
}

const struct near_key *index_near_keys(const struct index *index, enum object_kind kind, size_t reading)
{
	struct near_cache *cache = index->near;
	struct near_key *keys;
	size_t i, n = index->kind_count[kind];

	if (!cache)
		return NULL;
	keys = atomic_load(&cache->keys[kind]);
	if (keys)
		return keys;
	if (atomic_fetch_add(&cache->read[kind], reading) + reading <= NEAR_KEYS_AFTER * (n + 64))
		return NULL;
	pthread_mutex_lock(&cache->lock);
	keys = atomic_load(&cache->keys[kind]);
	if (!keys) {
		keys = xmalloc((n + 1) * sizeof(*keys));
		for (i = 0; i < n; i++) {
			const struct object *o = index_by_namespace(index, kind, i);

			near_key_make(&keys[i], kind == KIND_ENDPOINTSLICE ? object_label(o, SERVICE_NAME_LABEL)
									   : o->name);
		}
		atomic_store(&cache->keys[kind], keys);
	}
	pthread_mutex_unlock(&cache->lock);
	return keys;
}

static struct object *find(const struct index *index, enum table_space space, unsigned int scope,
			   enum object_kind kind, const char *namespace, const char *name)
{
	uint32_t h;
	struct slot *s;

	if (!index->table || !name)
		return NULL;
	h = key_hash(space, scope, kind, namespace, name);
	s = lookup(index->table, h, space, scope, kind, namespace, name);
	return s->hash ? index->objects[s->head - 1] : NULL;
}

struct object *index_find(const struct index *index, unsigned int scope, enum object_kind kind,
			  const char *namespace, const char *name)
{
	return find(index, SPACE_EXACT, scope, kind, namespace, name);
}

struct object *index_find_any_namespace(const struct index *index, unsigned int scope, enum object_kind kind,
					const char *name)
{
	return find(index, SPACE_NAME, scope, kind, NULL, name);
}

struct object *index_slices_any_namespace(const struct index *index, unsigned int scope, const char *service)
{
	return find(index, SPACE_SLICE_ANY, scope, KIND_ENDPOINTSLICE, NULL, service);
}

struct object *index_slices_for(const struct index *index, unsigned int scope, const char *namespace,
				const char *service)
{
	return find(index, SPACE_SLICE, scope, KIND_ENDPOINTSLICE, namespace, service);
}

bool namespace_ambiguous(const struct object *a, const struct object *b)
{
	return a->namespace_explicit != b->namespace_explicit && strcmp(a->namespace, b->namespace) != 0;
}

/*
 * Whether some object of kind may be namespace_ambiguous() with o: one whose metadata.namespace is
 * set when o's is not, or the reverse.  When none is, the chain of same-named objects need not be
 * walked: one Endpoints per namespace for a Service named alike in thousands of others walked
 * thousands of Services each, for nothing.
 */
static bool may_be_ambiguous(const struct index *index, enum object_kind kind, const struct object *o)
{
	return o->namespace_explicit ? index->unset_count[kind] != 0 : index->unset_count[kind] < index->kind_count[kind];
}

struct pairing index_service_of(const struct index *index, const struct object *backend)
{
	struct pairing p = { NULL, false };
	const char *name = backend->kind == KIND_ENDPOINTSLICE ? object_label(backend, SERVICE_NAME_LABEL)
							       : backend->name;
	struct object *s;

	if (!name || !*name)
		return p;
	p.object = index_find(index, backend->scope, KIND_SERVICE, backend->namespace, name);
	if (p.object || !may_be_ambiguous(index, KIND_SERVICE, backend))
		return p;
	for (s = index_find_any_namespace(index, backend->scope, KIND_SERVICE, name); s;
	     s = index_at(index, s->next_same_name))
		if (namespace_ambiguous(s, backend)) {
			p.object = s;
			p.ambiguous = true;
			return p;
		}
	return p;
}

/* What index_backends_of() answers, from the chains (out->slices malloc'd). */
static void find_backends(const struct index *index, const struct object *service, struct backends *out)
{
	struct object *o;
	size_t cap = 0;

	memset(out, 0, sizeof(*out));
	out->endpoints.object = index_find(index, service->scope, KIND_ENDPOINTS, service->namespace, service->name);
	if (!out->endpoints.object && may_be_ambiguous(index, KIND_ENDPOINTS, service))
		for (o = index_find_any_namespace(index, service->scope, KIND_ENDPOINTS, service->name); o;
		     o = index_at(index, o->next_same_name))
			if (namespace_ambiguous(o, service)) {
				out->endpoints.object = o;
				out->endpoints.ambiguous = true;
				break;
			}
	for (o = index_slices_for(index, service->scope, service->namespace, service->name); o;
	     o = index_at(index, o->next_for_service)) {
		GROW(out->slices, cap, out->slice_count + 1);
		out->slices[out->slice_count].object = o;
		out->slices[out->slice_count++].ambiguous = false;
	}
	if (out->slice_count || !may_be_ambiguous(index, KIND_ENDPOINTSLICE, service))
		return;
	/* No slice in the Service's namespace: look for ones that pair only through an unset namespace. */
	for (o = find(index, SPACE_SLICE_ANY, service->scope, KIND_ENDPOINTSLICE, NULL, service->name); o;
	     o = index_at(index, o->next_for_service_any)) {
		if (!namespace_ambiguous(o, service))
			continue;
		GROW(out->slices, cap, out->slice_count + 1);
		out->slices[out->slice_count].object = o;
		out->slices[out->slice_count++].ambiguous = true;
	}
}

void index_backends_of(const struct index *index, const struct object *service, struct backends *out)
{
	const struct backends *known = service->kind == KIND_SERVICE ? service->backends : NULL;

	(void)index;
	if (!known) {
		find_backends(index, service, out);
		return;
	}
	*out = *known;
	out->slices = NULL;
	if (known->slice_count) {
		out->slices = xmalloc(known->slice_count * sizeof(*out->slices));
		memcpy(out->slices, known->slices, known->slice_count * sizeof(*out->slices));
	}
}

/*
 * The names a backend could pair a Service by: each Endpoints' name and each EndpointSlice's
 * service-name label, with its scope, as hashes in a small table.  A Service whose name is not there
 * has no backends; most Services select Pods and have none, and their four look-ups in the index's
 * table, at 100,000 apps 4 MB probed at random, missed the cache each time.  A hash that is there may
 * belong to another name: find_backends() then answers.
 */
struct name_set {
	uint32_t *slots;	/* 0: empty */
	size_t mask;
};

static uint32_t name_hash(unsigned int scope, const char *name)
{
	return key_hash(SPACE_NAME, scope, KIND_SERVICE, NULL, name);
}

static void name_set_add(struct name_set *set, uint32_t h)
{
	size_t i;

	for (i = h & set->mask; set->slots[i] && set->slots[i] != h; i = (i + 1) & set->mask)
		;
	set->slots[i] = h;
}

static bool name_set_may_hold(const struct name_set *set, uint32_t h)
{
	size_t i;

	for (i = h & set->mask; set->slots[i]; i = (i + 1) & set->mask)
		if (set->slots[i] == h)
			return true;
	return false;
}

static void backend_names(const struct index *index, struct name_set *set)
{
	size_t n = index->kind_count[KIND_ENDPOINTS] + index->kind_count[KIND_ENDPOINTSLICE], cap = 16, i;

	while (cap < n * 2)
		cap *= 2;
	set->slots = xcalloc(cap, sizeof(*set->slots));
	set->mask = cap - 1;
	for (i = 0; i < index->kind_count[KIND_ENDPOINTS]; i++) {
		const struct object *o = index->by_kind[KIND_ENDPOINTS][i];

		name_set_add(set, name_hash(o->scope, o->name));
	}
	for (i = 0; i < index->kind_count[KIND_ENDPOINTSLICE]; i++) {
		const struct object *o = index->by_kind[KIND_ENDPOINTSLICE][i];
		const char *service = object_label(o, SERVICE_NAME_LABEL);

		if (service)
			name_set_add(set, name_hash(o->scope, service));
	}
}

/*
 * Every Service's backends, once: some fifteen rules ask for them, and each lookup walked the hash
 * table and the chains of objects no longer in the cache.  Only Services that have backends get an
 * entry of their own (most Services of a repository have a selector and no hand-written backends);
 * the others share one that has none.
 */
static void learn_backends(struct index *index)
{
	size_t n = index->kind_count[KIND_SERVICE], total = 0, count = 0, cap = 0, owners_cap = 0, i;
	struct backends *found = NULL;
	size_t *owners = NULL;
	struct name_set names;

	index->no_backends = xcalloc(1, sizeof(*index->no_backends));
	backend_names(index, &names);
	for (i = 0; i < n; i++) {
		const struct object *service = index->by_kind[KIND_SERVICE][i];
		struct backends b;

		index->by_kind[KIND_SERVICE][i]->backends = index->no_backends;
		if (!name_set_may_hold(&names, name_hash(service->scope, service->name)))
			continue;
		find_backends(index, service, &b);
		if (!b.endpoints.object && !b.slice_count)
			continue;
		GROW(found, cap, count + 1);
		GROW(owners, owners_cap, count + 1);
		found[count] = b;
		owners[count++] = i;
		total += b.slice_count;
	}
	/* Kept to the end of the run at their number, not at the last doubling's (1 MB at 100,000 apps). */
	found = xrealloc(found, (count + 1) * sizeof(*found));
	/* One array for all the slices, so that releasing the index frees a few blocks, not n. */
	index->backend_slices = xmalloc((total + 1) * sizeof(*index->backend_slices));
	for (i = 0, total = 0; i < count; i++) {
		struct pairing *own = found[i].slices;

		if (found[i].slice_count)
			memcpy(index->backend_slices + total, own, found[i].slice_count * sizeof(*own));
		free(own);
		found[i].slices = index->backend_slices + total;
		total += found[i].slice_count;
		index->by_kind[KIND_SERVICE][owners[i]]->backends = &found[i];
	}
	free(owners);
	free(names.slots);
	index->backends = found;
	index->backends_known = true;
}

void backends_release(struct backends *backends)
{
	free(backends->slices);
	backends->slices = NULL;
	backends->slice_count = 0;
}
