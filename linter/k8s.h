/* k8s.h: Kubernetes semantics that several rules share (k8s-semantics.md §1, §2, §4).
 *
 * Pure functions over objects and nodes; nothing here reports.  Strings returned point into the
 * object's tree or are static.
 */
#ifndef SVCLINT_K8S_H
#define SVCLINT_K8S_H

#include <stdbool.h>

#include "index.h"
#include "object.h"

#define LABEL_MANAGED_BY_ENDPOINTS "endpoints.kubernetes.io/managed-by"
#define LABEL_MANAGED_BY_SLICE "endpointslice.kubernetes.io/managed-by"
#define LABEL_SKIP_MIRROR "endpointslice.kubernetes.io/skip-mirror"
#define LABEL_HEADLESS "service.kubernetes.io/headless"
#define LABEL_PROXY_NAME "service.kubernetes.io/service-proxy-name"
#define ANNOTATION_LEADER "control-plane.alpha.kubernetes.io/leader"

/*
 * Works out once, while the object's tree is fresh in the cache, the facts below that rules over the
 * index ask of every Service again and again, and what they ask of an Endpoints' addresses and an
 * EndpointSlice's endpoints, which object_keep() does not keep (the engine calls it for each object
 * before it is kept); the functions answer from them, or from the tree for an object it was not
 * called for.
 */
void k8s_learn(struct object *object);

/* spec.selector is missing, null or {}: no controller manages the Service's endpoints (§1.2). */
bool service_is_selectorless(const struct object *service);
/* spec.selector is a map with at least one entry. */
bool service_has_selector(const struct object *service);
/* spec.type after defaulting: "ClusterIP" when missing. */
const char *service_type(const struct object *service);
bool service_is_external_name(const struct object *service);
/* clusterIP: None (or clusterIPs: [None]). */
bool service_is_headless(const struct object *service);
/* Neither headless nor ExternalName: kube-proxy routes its virtual IP. */
bool service_is_proxied(const struct object *service);

/* The only object of its scope, kind, namespace and name: with a duplicate (duplicate-object) nobody
 * can tell which definition its partners meet, so rules that compare them stay silent. */
bool object_is_unique(const struct index *index, const struct object *object);

/* Written by a controller (managed-by endpoint-controller), not by hand. */
bool endpoints_is_controller_made(const struct object *endpoints);
/* Carries the leader-election annotation: never paired, mirrored or swept (§4). */
bool endpoints_is_leader_lock(const struct object *endpoints);

/* The managed-by values of Kubernetes' own EndpointSlice controllers (§3.1). */
#define SLICE_CONTROLLER "endpointslice-controller.k8s.io"
#define SLICE_MIRRORING_CONTROLLER "endpointslicemirroring-controller.k8s.io"
/* Labelled managed-by one of those two controllers; the API server skips its IP warnings (§3.2). */
bool slice_is_controller_made(const struct object *slice);
/* Carries metadata only the API server writes (uid, resourceVersion, creationTimestamp, managedFields):
 * a copy of a live object (kubectl get -o yaml), not a hand-written manifest. */
bool object_is_live_copy(const struct object *object);
/* The IP families of an Endpoints' addresses (ready or not, every subset): ENDPOINTS_IPV4 (an
 * IPv4-mapped IPv6 address counts as IPv4, as Kubernetes reads it) and ENDPOINTS_IPV6 bits. */
#define ENDPOINTS_IPV4 1u
#define ENDPOINTS_IPV6 2u
unsigned int endpoints_address_families(const struct object *endpoints);
/* The family of an IP address as text: ENDPOINTS_IPV4, ENDPOINTS_IPV6, or 0 when it is not one. */
unsigned int k8s_ip_family(const char *text);
/* Whether an address of an Endpoints or an endpoint of an EndpointSlice points at a Pod
 * (targetRef.kind: Pod). */
bool backend_has_pod(const struct object *backend);
/* Labelled endpointslice.kubernetes.io/skip-mirror with exactly "true" (§2.5): never mirrored. */
bool endpoints_skips_mirror(const struct object *endpoints);

/*
 * How a name other than wanted is like it, as a near miss in one namespace: 1 when it differs only in
 * case, 2 by a suffix or prefix that is a word of its own (etcd-prom-endpoints, my-etcd), 3 by one or
 * two edits (when wanted is longer than 3 bytes), with *why saying so; 0 when it is not like it (or is
 * the same).
 */
unsigned int k8s_name_likeness(const char *name, const char *wanted, const char **why);

/*
 * What one rule's near-miss searches have read of namespaces.  A search reads every name of its
 * namespace (through the keys, about 3 ns a name), so a namespace of many unpaired objects, each
 * searching the others, would cost the square of their number: 32,000 unpaired Services and 32,000
 * Endpoints in one namespace took 7 s.  A name the keys cannot rule out is compared in full (case,
 * affix, edits: some 20 times the cost of reading a key) and counts as NEAR_READ_PER_COMPARED names.
 * Once a rule's searches have read `limit` names, a search reads a namespace of more than
 * NEAR_READ_ALWAYS names no more (it still finds the same name in other namespaces) and says so.  A
 * zeroed struct starts a budget of NEAR_READ_FREE names plus NEAR_READ_PER_OBJECT per object of the
 * index; each rule keeps its own, in its own order, so the result does not depend on the job count.
 */
#define NEAR_READ_FREE ((size_t)1 << 24)
#define NEAR_READ_PER_OBJECT 64
#define NEAR_READ_ALWAYS 64
#define NEAR_READ_PER_COMPARED 8

struct near_budget {
	size_t read;
	size_t limit;	/* 0: set from the index by the first search */
};

/*
 * Near misses: objects of kind in the same scope whose name is the given one in another namespace,
 * differs only in case, by a suffix or prefix, or by at most two edits.  Calls found() for each, best
 * first, at most limit times; why describes the likeness ("in namespace 'x'", "differs in case"...).
 * Returns 0, or the number of names of the namespace it did not read because the budget was spent
 * (then only the same name in other namespaces was looked for).
 */
size_t k8s_near_misses(const struct index *index, const struct object *near, enum object_kind kind,
		       const char *namespace, const char *name, unsigned int limit, struct near_budget *budget,
		       void (*found)(void *data, const struct object *candidate, const char *why), void *data);

#endif
