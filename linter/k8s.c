/* k8s.c: Service types, selectors and near-miss search, as Kubernetes reads them. */
#include "k8s.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "names.h"

#define FACT_KNOWN 0x1u
#define FACT_SELECTORLESS 0x2u
#define FACT_HAS_SELECTOR 0x4u
#define FACT_EXTERNAL_NAME 0x8u
#define FACT_HEADLESS 0x10u
/* Endpoints and EndpointSlices (their bits may mean something else for a Service): */
#define FACT_IPV4 0x20u		/* an Endpoints address is IPv4 (or IPv4-mapped IPv6) */
#define FACT_IPV6 0x40u		/* an Endpoints address is IPv6 */
#define FACT_POD 0x80u		/* an address or endpoint has targetRef.kind: Pod */

unsigned int k8s_ip_family(const char *text)
{
	struct ip_address ip;

	if (!text || !ip_parse(text, &ip))
		return 0;
	return ip.family == IP_V6 ? ENDPOINTS_IPV6 : ENDPOINTS_IPV4;
}

static bool is_pod_ref(const struct node *entry)
{
	return node_text_eq(node_get_path(entry, "targetRef.kind"), "Pod");
}

/* ENDPOINTS_IPV4 and ENDPOINTS_IPV6 over every address of every subset, and whether one is a Pod. */
static unsigned int endpoints_addresses_in_tree(const struct object *endpoints, bool *pod)
{
	static const char *const lists[] = { "addresses", "notReadyAddresses" };
	const struct node *subsets = node_get(endpoints->root, "subsets");
	unsigned int found = 0, i, j, k;

	*pod = false;
	for (i = 0; node_is_seq(subsets) && i < subsets->count; i++)
		for (k = 0; k < 2; k++) {
			const struct node *list = node_get(subsets->u.items[i], lists[k]);

			for (j = 0; node_is_seq(list) && j < list->count; j++) {
				found |= k8s_ip_family(node_str(node_get(list->u.items[j], "ip")));
				*pod = *pod || is_pod_ref(list->u.items[j]);
			}
		}
	return found;
}

static bool slice_has_pod_in_tree(const struct object *slice)
{
	const struct node *endpoints = node_get(slice->root, "endpoints");
	unsigned int i;

	for (i = 0; node_is_seq(endpoints) && i < endpoints->count; i++)
		if (is_pod_ref(endpoints->u.items[i]))
			return true;
	return false;
}

static bool selectorless_in_tree(const struct object *service)
{
	const struct node *selector = node_get(service->spec, "selector");

	return !selector || node_is_null(selector) || (node_is_map(selector) && selector->count == 0);
}

static bool has_selector_in_tree(const struct object *service)
{
	const struct node *selector = node_get(service->spec, "selector");

	return node_is_map(selector) && selector->count > 0;
}

static bool headless_in_tree(const struct object *service)
{
	const struct node *ip = node_get(service->spec, "clusterIP");
	const struct node *ips = node_get(service->spec, "clusterIPs");

	if (node_text_eq(ip, "None"))
		return true;
	return !node_str(ip) && node_is_seq(ips) && ips->count == 1 && node_text_eq(ips->u.items[0], "None");
}

const char *service_type(const struct object *service)
{
	const char *type = node_str(node_get(service->spec, "type"));

	return type && *type ? type : "ClusterIP";
}

void k8s_learn(struct object *object)
{
	unsigned int facts = FACT_KNOWN;

	if (object->kind == KIND_SERVICE) {
		if (selectorless_in_tree(object))
			facts |= FACT_SELECTORLESS;
		if (has_selector_in_tree(object))
			facts |= FACT_HAS_SELECTOR;
		if (strcmp(service_type(object), "ExternalName") == 0)
			facts |= FACT_EXTERNAL_NAME;
		if (headless_in_tree(object))
			facts |= FACT_HEADLESS;
	} else if (object->kind == KIND_ENDPOINTS) {
		bool pod;
		unsigned int families = endpoints_addresses_in_tree(object, &pod);

		facts |= (families & ENDPOINTS_IPV4 ? FACT_IPV4 : 0) | (families & ENDPOINTS_IPV6 ? FACT_IPV6 : 0) |
			 (pod ? FACT_POD : 0);
	} else if (object->kind == KIND_ENDPOINTSLICE && slice_has_pod_in_tree(object)) {
		facts |= FACT_POD;
	}
	object->facts = facts;
}

unsigned int endpoints_address_families(const struct object *endpoints)
{
	bool pod;

	if (endpoints->facts & FACT_KNOWN)
		return (endpoints->facts & FACT_IPV4 ? ENDPOINTS_IPV4 : 0) |
		       (endpoints->facts & FACT_IPV6 ? ENDPOINTS_IPV6 : 0);
	return endpoints_addresses_in_tree(endpoints, &pod);
}

bool backend_has_pod(const struct object *backend)
{
	bool pod = false;

	if (backend->facts & FACT_KNOWN)
		return (backend->facts & FACT_POD) != 0;
	if (backend->kind == KIND_ENDPOINTS)
		endpoints_addresses_in_tree(backend, &pod);
	else if (backend->kind == KIND_ENDPOINTSLICE)
		pod = slice_has_pod_in_tree(backend);
	return pod;
}

bool service_is_selectorless(const struct object *service)
{
	return service->facts & FACT_KNOWN ? (service->facts & FACT_SELECTORLESS) != 0 : selectorless_in_tree(service);
}

bool service_has_selector(const struct object *service)
{
	return service->facts & FACT_KNOWN ? (service->facts & FACT_HAS_SELECTOR) != 0 : has_selector_in_tree(service);
}

bool service_is_external_name(const struct object *service)
{
	if (service->facts & FACT_KNOWN)
		return (service->facts & FACT_EXTERNAL_NAME) != 0;
	return strcmp(service_type(service), "ExternalName") == 0;
}

bool service_is_headless(const struct object *service)
{
	return service->facts & FACT_KNOWN ? (service->facts & FACT_HEADLESS) != 0 : headless_in_tree(service);
}

bool service_is_proxied(const struct object *service)
{
	return !service_is_headless(service) && !service_is_external_name(service);
}

bool object_is_unique(const struct index *index, const struct object *object)
{
	(void)index;
	return object->unique;
}

bool endpoints_is_controller_made(const struct object *endpoints)
{
	const char *v = object_label(endpoints, LABEL_MANAGED_BY_ENDPOINTS);

	return v && strcmp(v, "endpoint-controller") == 0;
}

bool endpoints_is_leader_lock(const struct object *endpoints)
{
	return object_annotation(endpoints, ANNOTATION_LEADER) != NULL;
}

bool slice_is_controller_made(const struct object *slice)
{
	const char *v = object_label(slice, LABEL_MANAGED_BY_SLICE);

	return v && (strcmp(v, SLICE_CONTROLLER) == 0 || strcmp(v, SLICE_MIRRORING_CONTROLLER) == 0);
}

bool object_is_live_copy(const struct object *object)
{
	static const char *const server_fields[] = { "uid", "resourceVersion", "creationTimestamp", "managedFields" };
	const struct node *metadata = object_metadata(object);
	size_t i;

	for (i = 0; i < sizeof(server_fields) / sizeof(server_fields[0]); i++) {
		const struct node *n = node_get(metadata, server_fields[i]);

		if (n && !node_is_null(n))
			return true;
	}
	return false;
}

bool endpoints_skips_mirror(const struct object *endpoints)
{
	const char *v = object_label(endpoints, LABEL_SKIP_MIRROR);

	return v && strcmp(v, "true") == 0;
}

static bool differs_by_affix(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	const char *shorter = la < lb ? a : b, *longer = la < lb ? b : a;
	size_t ls = la < lb ? la : lb, ll = la < lb ? lb : la;

	if (ls < 3 || ll == ls)
		return false;
	/* etcd-prom vs etcd-prom-endpoints, or etcd vs my-etcd: the extra part is a separate word. */
	if (strncmp(longer, shorter, ls) == 0)
		return strchr("-._", longer[ls]) != NULL;
	if (strcmp(longer + ll - ls, shorter) == 0)
		return strchr("-._", longer[ll - ls - 1]) != NULL;
	return false;
}

/*
 * k8s_name_likeness() of two names that differ, asked only for ranks below `below`: 0 when the rank
 * would not be below it.  A full search (consider()) needs no rank its places do not beat, and the
 * two edits, the dearest test, are then not counted at all.
 */
static unsigned int likeness_below(const char *name, const char *wanted, unsigned int below, const char **why)
{
	size_t edits;

	if (below <= 1)
		return 0;
	if (strcasecmp(name, wanted) == 0) {
		*why = "the name differs only in case";
		return 1;
	}
	if (below <= 2)
		return 0;
	if (differs_by_affix(name, wanted)) {
		*why = "the name differs by a suffix or prefix";
		return 2;
	}
	if (below <= 3 || strlen(wanted) <= 3 || (edits = edit_distance(name, wanted, 2)) > 2)
		return 0;
	*why = edits == 1 ? "the name is one edit away" : "the name is two edits away";
	return 3;
}

unsigned int k8s_name_likeness(const char *name, const char *wanted, const char **why)
{
	return strcmp(name, wanted) == 0 ? 0 : likeness_below(name, wanted, 4, why);
}

struct candidate {
	const struct object *object;
	const char *why;
	unsigned int rank;
};

struct near_search {
	const struct object *near;
	enum object_kind kind;
	const char *namespace, *name;
	unsigned int limit, count;
	struct candidate best[8];
};

/* Ranks o as a near miss and keeps the best few, in rank order then in the order seen. */
static void consider(struct near_search *ns, const struct object *o)
{
	const char *why = NULL;
	const char *oname = o->name;
	unsigned int rank = 0, i, j;
	/* Full, a rank no better than the last place's takes none (ties keep the first seen). */
	unsigned int below = ns->count && ns->count == ns->limit ? ns->best[ns->count - 1].rank : 4;

	if (o == ns->near || o->scope != ns->near->scope)
		return;
	if (ns->kind == KIND_ENDPOINTSLICE) {
		oname = object_label(o, SERVICE_NAME_LABEL);
		if (!oname)
			return;
	}
	if (strcmp(oname, ns->name) == 0) {
		if (strcmp(o->namespace, ns->namespace) == 0)
			return;	/* an exact partner is not a near miss */
		why = "the same name, in another namespace";
		rank = 0;
	} else if (strcmp(o->namespace, ns->namespace) != 0 ||
		   !(rank = likeness_below(oname, ns->name, below, &why))) {
		return;
	}
	for (i = 0; i < ns->count && ns->best[i].rank <= rank; i++)
		;
	if (i >= ns->limit)
		return;
	if (ns->count < ns->limit)
		ns->count++;
	for (j = ns->count - 1; j > i; j--)
		ns->best[j] = ns->best[j - 1];
	ns->best[i].object = o;
	ns->best[i].why = why;
	ns->best[i].rank = rank;
}

/* Whether every place is taken by a rank of at most rank: then no later candidate can take one. */
static bool full_of(const struct near_search *ns, unsigned int rank)
{
	return ns->limit == 0 || (ns->count == ns->limit && ns->best[ns->count - 1].rank <= rank);
}

size_t k8s_near_misses(const struct index *index, const struct object *near, enum object_kind kind,
		       const char *namespace, const char *name, unsigned int limit, struct near_budget *budget,
		       void (*found)(void *data, const struct object *candidate, const char *why), void *data)
{
	struct near_search ns;
	const struct object *o;
	const struct near_key *keys;
	struct near_key wanted;
	size_t from, to, k, unread = 0;
	unsigned int i;

	if (!budget->limit)
		budget->limit = NEAR_READ_FREE + NEAR_READ_PER_OBJECT * index->count;
	ns.near = near;
	ns.kind = kind;
	ns.namespace = namespace;
	ns.name = name;
	ns.limit = limit > 8 ? 8 : limit;
	ns.count = 0;
	/* The same name in other namespaces: the name chains; everything else: this namespace only. */
	o = kind == KIND_ENDPOINTSLICE ? index_slices_any_namespace(index, near->scope, name)
				       : index_find_any_namespace(index, near->scope, kind, name);
	/* Once full of the best rank (ties keep the first seen), nothing later can take a place: a name
	 * used in thousands of namespaces is not walked whole for each search. */
	for (; o && !full_of(&ns, 0);
	     o = index_at(index, kind == KIND_ENDPOINTSLICE ? o->next_for_service_any : o->next_same_name))
		consider(&ns, o);
	/* Nor is the namespace when the places are taken by ranks it cannot beat: none of its objects is
	 * of rank 0 (the same name in the same namespace is an exact partner, not a near miss).  Any other
	 * name of it could be near.  The keys rule most out without reading their objects: still one pass
	 * over the namespace per search, but over a packed array rather than scattered objects and names
	 * (8,000 Endpoints and 8,000 Services of one namespace, none paired: 6.7 s before the keys, 0.58 to
	 * 0.68 s with them; bench/orphans.sh).  That pass per search is what the budget bounds (k8s.h):
	 * 0.35 s with it, and 32,000 of each 1.2 s instead of 7.0.  Names the keys cannot rule out (one
	 * template, svc-00001 to svc-20000) are compared in full and cost the budget more: 20,000 such
	 * Services and 20,000 Endpoints named svc-NNNNNx took 6.8 s when each counted as one name. */
	if (!full_of(&ns, 1)) {
		index_namespace_range(index, kind, near->scope, namespace, &from, &to);
		if (to - from > NEAR_READ_ALWAYS && budget->read + (to - from) > budget->limit) {
			unread = to - from;
		} else {
			budget->read += to - from;
			keys = index_near_keys(index, kind, to - from);
			if (keys)
				near_key_make(&wanted, name);
			for (k = from; k < to; k++)
				if (!keys || near_key_may_match(&keys[k], &wanted)) {
					budget->read += NEAR_READ_PER_COMPARED - 1;
					consider(&ns, index_by_namespace(index, kind, k));
				}
		}
	}
	for (i = 0; i < ns.count; i++)
		found(data, ns.best[i].object, ns.best[i].why);
	return unread;
}
