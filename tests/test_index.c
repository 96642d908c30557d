/* test_index.c: keys, chains and pairing (exact and through an unset namespace). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "index.h"
#include "k8s.h"
#include "monitor.h"
#include "ports.h"
#include "suites.h"

struct world {
	struct arena arena;
	struct doc_set set;
	struct object_list objects;
	struct index index;
};

static void load(struct world *w, const char *text)
{
	struct collect_options options = { "default", "test.yaml", 0, false };

	arena_init(&w->arena);
	memset(&w->objects, 0, sizeof(w->objects));
	ck_assert_int_eq(doc_parse(&w->set, &w->arena, text, strlen(text), &doc_default_limits), 0);
	object_collect(&w->objects, &w->arena, w->set.documents, w->set.count, &options);
	index_build(&w->index, w->objects.items, w->objects.count);
}

static void unload(struct world *w)
{
	index_release(&w->index);
	object_list_release(&w->objects);
	free(w->set.documents);
	free(w->set.problems);
	arena_release(&w->arena);
}

/* Where object_keep() copies to, as a worker has it: its arena, string pool, node cache and types. */
struct keeper {
	struct arena arena;
	struct string_pool strings;
	struct node_cache cache;
	struct object_types types;
};

static void keeper_init(struct keeper *k, unsigned int cache_bits)
{
	arena_init(&k->arena);
	string_pool_init(&k->strings, &k->arena);
	node_cache_init(&k->cache, cache_bits);
	memset(&k->types, 0, sizeof(k->types));
}

static struct object *keep(struct keeper *k, const struct object *o)
{
	return object_keep(&k->strings, &k->cache, &k->types, o);
}

static void keeper_release(struct keeper *k)
{
	node_cache_release(&k->cache);
	string_pool_release(&k->strings);
	arena_release(&k->arena);
}

START_TEST(test_kinds_and_lookup)
{
	struct world w;

	load(&w, "apiVersion: v1\nkind: Service\nmetadata: {name: a, namespace: ns}\n---\n"
		 "apiVersion: v1\nkind: Endpoints\nmetadata: {name: a, namespace: ns}\n---\n"
		 "apiVersion: serving.knative.dev/v1\nkind: Service\nmetadata: {name: a, namespace: ns}\n---\n"
		 "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Service\n  metadata: {name: b}\n");
	ck_assert_uint_eq(w.index.count, 4);
	ck_assert_uint_eq(w.index.kind_count[KIND_SERVICE], 2);
	ck_assert_uint_eq(w.index.kind_count[KIND_OTHER], 1);
	ck_assert_ptr_eq(index_find(&w.index, 0, KIND_SERVICE, "ns", "a"), w.objects.items[0]);
	ck_assert_ptr_eq(index_find(&w.index, 0, KIND_SERVICE, "default", "b"), w.objects.items[3]);
	ck_assert(w.objects.items[3]->list_item);
	ck_assert(!w.objects.items[3]->namespace_explicit);
	ck_assert_ptr_null(index_find(&w.index, 0, KIND_SERVICE, "ns", "b"));
	ck_assert_ptr_null(index_find(&w.index, 1, KIND_SERVICE, "ns", "a"));
	unload(&w);
}
END_TEST

/* What k8s_learn() stores answers as the tree does, and the tree answers as the API reads it. */
START_TEST(test_learned_service_facts)
{
	static const struct {
		const char *spec;
		bool selectorless, has_selector, external_name, headless;
	} cases[] = {
		{ "{}", true, false, false, false },
		{ "{selector: null}", true, false, false, false },
		{ "{selector: {}}", true, false, false, false },
		{ "{selector: {app: a}}", false, true, false, false },
		{ "{selector: [a]}", false, false, false, false },
		{ "{type: ExternalName, externalName: db.example.com}", true, false, true, false },
		{ "{clusterIP: None, selector: {app: a}}", false, true, false, true },
		{ "{clusterIPs: [None]}", true, false, false, true },
		{ "{clusterIPs: [None, 10.0.0.1]}", true, false, false, false },
		{ "{clusterIP: 10.0.0.1, clusterIPs: [None]}", true, false, false, false },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct world w;
		char text[256];
		struct object *o, bare;

		snprintf(text, sizeof(text), "apiVersion: v1\nkind: Service\nmetadata: {name: a}\nspec: %s\n",
			 cases[i].spec);
		load(&w, text);
		o = w.objects.items[0];
		bare = *o;
		k8s_learn(o);
		ck_assert_uint_ne(o->facts, 0);
		ck_assert_uint_eq(bare.facts, 0);
		ck_assert_msg(service_is_selectorless(o) == cases[i].selectorless &&
			      service_is_selectorless(&bare) == cases[i].selectorless, "selectorless: %s", cases[i].spec);
		ck_assert_msg(service_has_selector(o) == cases[i].has_selector &&
			      service_has_selector(&bare) == cases[i].has_selector, "selector: %s", cases[i].spec);
		ck_assert_msg(service_is_external_name(o) == cases[i].external_name &&
			      service_is_external_name(&bare) == cases[i].external_name, "ExternalName: %s",
			      cases[i].spec);
		ck_assert_msg(service_is_headless(o) == cases[i].headless &&
			      service_is_headless(&bare) == cases[i].headless, "headless: %s", cases[i].spec);
		ck_assert(service_is_proxied(o) == (!cases[i].headless && !cases[i].external_name));
		unload(&w);
	}
}
END_TEST

START_TEST(test_pairing_exact_and_slices)
{
	struct world w;
	struct backends b;
	int i;

	load(&w, "apiVersion: v1\nkind: Service\nmetadata: {name: etcd, namespace: kube-system}\n---\n"
		 "apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata:\n  name: etcd-1\n"
		 "  namespace: kube-system\n  labels: {kubernetes.io/service-name: etcd}\n---\n"
		 "apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata:\n  name: etcd-2\n"
		 "  namespace: kube-system\n  labels: {kubernetes.io/service-name: etcd}\n---\n"
		 "apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata:\n  name: etcd-3\n"
		 "  namespace: other\n  labels: {kubernetes.io/service-name: etcd}\n");
	/* Worked out when the index was built; the same answer as from the chains. */
	ck_assert_ptr_nonnull(w.objects.items[0]->backends);
	for (i = 0; i < 2; i++) {
		if (i == 1)
			w.objects.items[0]->backends = NULL;
		index_backends_of(&w.index, w.objects.items[0], &b);
		ck_assert_ptr_null(b.endpoints.object);
		ck_assert_uint_eq(b.slice_count, 2);
		ck_assert_str_eq(b.slices[0].object->name, "etcd-1");
		ck_assert_str_eq(b.slices[1].object->name, "etcd-2");
		ck_assert(!b.slices[0].ambiguous);
		backends_release(&b);
	}
	ck_assert_ptr_eq(index_service_of(&w.index, w.objects.items[1]).object, w.objects.items[0]);
	ck_assert_ptr_null(index_service_of(&w.index, w.objects.items[3]).object);
	unload(&w);
}
END_TEST

START_TEST(test_pairing_through_unset_namespace)
{
	struct world w;
	struct backends b;
	struct pairing p;

	load(&w, "apiVersion: v1\nkind: Service\nmetadata: {name: etcd, namespace: kube-system}\n---\n"
		 "apiVersion: v1\nkind: Endpoints\nmetadata: {name: etcd}\n");
	ck_assert_ptr_nonnull(w.objects.items[0]->backends);
	index_backends_of(&w.index, w.objects.items[0], &b);
	ck_assert_ptr_eq(b.endpoints.object, w.objects.items[1]);
	ck_assert(b.endpoints.ambiguous);
	backends_release(&b);
	p = index_service_of(&w.index, w.objects.items[1]);
	ck_assert_ptr_eq(p.object, w.objects.items[0]);
	ck_assert(p.ambiguous);
	unload(&w);
}
END_TEST

START_TEST(test_both_explicit_never_pair)
{
	struct world w;

	load(&w, "apiVersion: v1\nkind: Service\nmetadata: {name: etcd, namespace: kube-system}\n---\n"
		 "apiVersion: v1\nkind: Endpoints\nmetadata: {name: etcd, namespace: monitoring}\n");
	ck_assert_ptr_null(index_service_of(&w.index, w.objects.items[1]).object);
	unload(&w);
}
END_TEST

START_TEST(test_duplicates_chain)
{
	struct world w;
	struct object *o;
	size_t n = 0;

	/* Chains run in input order, whatever order the index inserted them in. */
	load(&w, "apiVersion: v1\nkind: Service\nmetadata: {name: a}\n---\n"
		 "apiVersion: v1\nkind: Service\nmetadata: {name: a, namespace: other}\n---\n"
		 "apiVersion: v1\nkind: Service\nmetadata: {name: a, namespace: default}\n---\n"
		 "apiVersion: v1\nkind: Service\nmetadata: {name: a}\n");
	for (o = index_find(&w.index, 0, KIND_SERVICE, "default", "a"); o; o = index_at(&w.index, o->next_same)) {
		ck_assert_ptr_eq(o, w.objects.items[n == 0 ? 0 : n + 1]);
		n++;
	}
	ck_assert_uint_eq(n, 3);
	n = 0;
	for (o = index_find_any_namespace(&w.index, 0, KIND_SERVICE, "a"); o; o = index_at(&w.index, o->next_same_name))
		ck_assert_ptr_eq(o, w.objects.items[n++]);
	ck_assert_uint_eq(n, 4);
	ck_assert(!w.objects.items[0]->unique && w.objects.items[1]->unique);
	unload(&w);
}
END_TEST

/* A kept Service holds the spec fields the index rules read; its selector becomes an empty stand-in at
 * the selector's position, so that Services written from one template (two files here) share their
 * kept spec. */
START_TEST(test_kept_backends)
{
	static const char *const text =
		"apiVersion: v1\nkind: Endpoints\nmetadata: {name: db, namespace: data}\nsubsets:\n"
		"- addresses:\n  - ip: 10.0.0.1\n    hostname: db-0\n    nodeName: n1\n"
		"    targetRef: {kind: Pod, name: db-0, uid: u1}\n  notReadyAddresses: [{ip: '2001:db8::1'}]\n"
		"  ports: [{name: sql, port: 5432}]\n---\n"
		"apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata:\n  name: db-1\n  namespace: data\n"
		"  labels: {kubernetes.io/service-name: db}\naddressType: IPv4\n"
		"ports: [{name: sql, port: 5432}]\nendpoints:\n"
		"- addresses: [10.0.0.2]\n  conditions: {ready: true}\n  zone: a\n  targetRef: {kind: Pod, name: db-1}\n"
		"- 10.0.0.3\n";
	struct world w;
	struct keeper keeper;
	const struct object *e, *slice;
	const struct node *subset, *address, *endpoint;

	keeper_init(&keeper, 10);
	load(&w, text);
	ck_assert_uint_eq(w.objects.count, 2);
	k8s_learn(w.objects.items[0]);
	k8s_learn(w.objects.items[1]);
	e = keep(&keeper, w.objects.items[0]);
	slice = keep(&keeper, w.objects.items[1]);
	/* An address is an empty stand-in at its position: still counted, its family and whether it is a
	 * Pod learned before the copy. */
	subset = node_get(e->root, "subsets")->u.items[0];
	ck_assert_uint_eq(subset->count, 3);
	ck_assert_uint_eq(node_get(subset, "addresses")->count, 1);
	address = node_get(subset, "addresses")->u.items[0];
	ck_assert(node_is_map(address) && address->count == 0 && (address->flags & NODE_SKIMMED));
	ck_assert_uint_eq(object_node_position(e, address).line, 6);
	ck_assert_uint_eq(object_node_position(e, address).column, 5);
	ck_assert_uint_eq(node_get(subset, "notReadyAddresses")->u.items[0]->count, 0);
	ck_assert_uint_eq(endpoints_address_families(e), ENDPOINTS_IPV4 | ENDPOINTS_IPV6);
	ck_assert(backend_has_pod(e));
	ck_assert_str_eq(node_str(node_get(node_get(subset, "ports")->u.items[0], "name")), "sql");
	/* A slice's endpoint likewise; one that is not a map stays as it is. */
	ck_assert_uint_eq(node_get(slice->root, "endpoints")->count, 2);
	endpoint = node_get(slice->root, "endpoints")->u.items[0];
	ck_assert(node_is_map(endpoint) && endpoint->count == 0 && (endpoint->flags & NODE_SKIMMED));
	ck_assert_uint_eq(object_node_position(slice, endpoint).line, 22);
	ck_assert_uint_eq(object_node_position(slice, endpoint).column, 3);
	ck_assert(backend_has_pod(slice));
	ck_assert_str_eq(node_str(node_get(slice->root, "endpoints")->u.items[1]), "10.0.0.3");
	ck_assert_str_eq(node_str(node_get(slice->root, "addressType")), "IPv4");
	ck_assert_uint_eq(node_get(slice->root, "ports")->count, 1);
	/* The tree they were copied from says the same. */
	ck_assert_uint_eq(endpoints_address_families(w.objects.items[0]), ENDPOINTS_IPV4 | ENDPOINTS_IPV6);
	w.objects.items[0]->facts = 0;
	ck_assert_uint_eq(endpoints_address_families(w.objects.items[0]), ENDPOINTS_IPV4 | ENDPOINTS_IPV6);
	ck_assert(backend_has_pod(w.objects.items[0]));
	unload(&w);
	keeper_release(&keeper);
}
END_TEST

START_TEST(test_kept_monitor_spec)
{
	static const char *const text =
		"apiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\n"
		"metadata: {name: db, namespace: data, labels: {release: prom}}\n"
		"spec:\n  jobLabel: app\n  selector: {matchLabels: {app: db}}\n  namespaceSelector: {any: true}\n"
		"  endpoints:\n  - port: metrics\n    interval: 15s\n    relabelings: [{action: drop}]\n"
		"    tlsConfig: {caFile: /etc/ca.pem, serverName: db}\n";
	struct world w;
	struct keeper keeper;
	const struct object *m;
	const struct node *endpoint;

	keeper_init(&keeper, 10);
	load(&w, text);
	m = keep(&keeper, w.objects.items[0]);
	/* Whom it selects and its endpoints' ports and files are kept; jobLabel, intervals, relabelings
	 * and serverName are not. */
	ck_assert_uint_eq(m->spec->count, 3);
	ck_assert_ptr_null(node_get(m->spec, "jobLabel"));
	ck_assert_str_eq(node_str(node_get_path(m->spec, "selector.matchLabels.app")), "db");
	ck_assert(node_text_eq(node_get_path(m->spec, "namespaceSelector.any"), "true"));
	endpoint = node_get(m->spec, "endpoints")->u.items[0];
	ck_assert_uint_eq(endpoint->count, 2);
	ck_assert_str_eq(node_str(node_get(endpoint, "port")), "metrics");
	ck_assert_uint_eq(node_get(endpoint, "tlsConfig")->count, 1);
	ck_assert_str_eq(node_str(node_get_path(endpoint, "tlsConfig.caFile")), "/etc/ca.pem");
	ck_assert_uint_eq(object_node_position(m, node_get(endpoint, "port")).line, 9);
	ck_assert_uint_eq(object_node_position(m, node_get(endpoint, "port")).column, 11);
	/* Its labels, which a Prometheus selects it by, as texts. */
	ck_assert(m->labels_compact);
	ck_assert_str_eq(object_label_get(m, "release"), "prom");
	unload(&w);
	keeper_release(&keeper);
}
END_TEST

static void collect_label(void *data, const char *key, const char *value)
{
	char *out = data;

	snprintf(out + strlen(out), 256 - strlen(out), "%s=%s;", key, value);
}

/* A kept Service's labels as texts answer every lookup as its labels map does. */
START_TEST(test_kept_service_labels)
{
	static const char *const keys[] = { "app", "team", "tier", "gone", "bad", "1", "absent", "" };
	struct world w;
	struct keeper keeper;
	char big[2048];
	size_t i, k;

	keeper_init(&keeper, 10);
	/* The second Service has more labels than a set holds: it keeps its map. */
	strcpy(big, "---\napiVersion: v1\nkind: Service\nmetadata:\n  name: big\n  labels:\n");
	for (i = 0; i < 17; i++)
		snprintf(big + strlen(big), sizeof(big) - strlen(big), "    l%zu: v%zu\n", i, i);
	strcat(big, "    app: a\n    app: b\n");
	{
		char text[4096];

		snprintf(text, sizeof(text), "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  labels:\n"
			 "    app: a\n    team: core\n    tier: 2\n    gone: ~\n    bad: {x: y}\n    1: one\n"
			 "    app: b\n    \"\": empty\n%s", big);
		load(&w, text);
	}
	ck_assert_uint_eq(w.objects.count, 2);
	for (i = 0; i < 2; i++) {
		const struct object *full = w.objects.items[i];
		const struct object *kept = keep(&keeper, full);
		char a[256] = "", b[256] = "";

		ck_assert(i == 0 ? kept->labels_compact : !kept->labels_compact && kept->labels != NULL);
		for (k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
			const char *x, *y;

			x = object_label(full, keys[k]), y = object_label(kept, keys[k]);
			ck_assert(x ? y && strcmp(x, y) == 0 : !y);
			x = object_label_get(full, keys[k]), y = object_label_get(kept, keys[k]);
			ck_assert(x ? y && strcmp(x, y) == 0 : !y);
			x = object_label_string(full, keys[k]), y = object_label_string(kept, keys[k]);
			ck_assert(x ? y && strcmp(x, y) == 0 : !y);
			ck_assert(object_has_label(full, keys[k]) == object_has_label(kept, keys[k]));
		}
		object_each_string_label(full, collect_label, a);
		object_each_string_label(kept, collect_label, b);
		ck_assert_str_eq(a, b);
		if (i == 0) {
			/* What the map says, spelt out: the last app counts, tier is a number, gone is null. */
			ck_assert_str_eq(b, "team=core;app=b;=empty;");
			ck_assert_str_eq(object_label(kept, "app"), "b");
			ck_assert_str_eq(object_label(kept, "tier"), "2");
			ck_assert_ptr_null(object_label_string(kept, "tier"));
			ck_assert_ptr_null(object_label(kept, "gone"));
			ck_assert_str_eq(object_label_get(kept, "gone"), "");
			ck_assert_ptr_null(object_label_get(kept, "bad"));
			ck_assert(object_has_label(kept, "bad") && !object_has_label(kept, "absent"));
			ck_assert_str_eq(object_label_get(kept, "1"), "one");
			ck_assert_uint_eq(object_label_count(kept), 8);
		}
	}
	/* A large repository keeps hundreds of thousands: the labels' two forms share their bytes, as do
	 * a kept Service's port records and the root it does not keep; the bit-fields fill two words and
	 * the rare template source follows the struct (object_size()). */
	if (sizeof(void *) == 8)
		ck_assert_uint_eq(sizeof(struct object), 88);
	unload(&w);
	keeper_release(&keeper);
}
END_TEST

/* Two port references that say the same of the same port, but for their owner and group. */
static void assert_same_port(const struct port_ref *x, const struct port_ref *y)
{
	ck_assert_str_eq(x->name, y->name);
	ck_assert_str_eq(x->protocol, y->protocol);
	ck_assert(x->number == y->number && x->protocol_set == y->protocol_set && x->target == y->target);
	ck_assert(x->at.line == y->at.line && x->at.column == y->at.column);
	ck_assert(x->name_at.line == y->name_at.line && x->name_at.column == y->name_at.column);
	ck_assert(x->target_at.line == y->target_at.line && x->target_at.column == y->target_at.column);
	ck_assert(x->target_name ? y->target_name && strcmp(x->target_name, y->target_name) == 0
				 : !y->target_name);
}

/* ports_of_service() on a kept Service, whose ports are records, says what it says on the tree. */
static void assert_same_ports(const struct object *full, const struct object *kept)
{
	struct port_list a = { 0 }, b = { 0 };
	size_t i;

	ports_of_service(&a, full);
	ports_of_service(&b, kept);
	ck_assert_uint_eq(a.count, b.count);
	for (i = 0; i < a.count; i++)
		assert_same_port(&a.items[i], &b.items[i]);
	ck_assert(service_lists_ports(full) == service_lists_ports(kept));
	ck_assert_uint_eq(service_ports_at(full).line, service_ports_at(kept).line);
	ck_assert_uint_eq(service_ports_at(full).column, service_ports_at(kept).column);
	port_list_release(&a);
	port_list_release(&b);
}

START_TEST(test_kept_service_ports)
{
	static const char *const texts[] = {
		/* block and flow ports, named and unnamed, targetPort by number and by name, a list item
		 * that is not a map */
		"apiVersion: v1\nkind: Service\nmetadata: {name: a}\nspec:\n  ports:\n  - name: http\n    port: 80\n"
		"    targetPort: 8080\n  - port: 53\n    protocol: UDP\n    targetPort: dns\n  - 7\n"
		"  - {name: m, port: 9100, protocol: TCP}\n",
		/* a number beyond 32 bits: kept as nodes */
		"apiVersion: v1\nkind: Service\nmetadata: {name: b}\nspec:\n  ports: [{name: x, port: 99999999999}]\n",
		/* ports that are not a list */
		"apiVersion: v1\nkind: Service\nmetadata: {name: c}\nspec:\n  ports: {name: x}\n",
	};
	struct keeper keeper;
	char *wide;
	size_t i;

	keeper_init(&keeper, 10);
	/* a port past column 65,535: kept as nodes */
	wide = malloc(80000);
	ck_assert_ptr_nonnull(wide);
	snprintf(wide, 80000, "apiVersion: v1\nkind: Service\nmetadata: {name: d}\nspec:\n  ports: [%70000s{port: 1}]\n",
		 "");
	for (i = 0; i < 4; i++) {
		struct world w;
		const struct object *kept;

		load(&w, i < 3 ? texts[i] : wide);
		kept = keep(&keeper, w.objects.items[0]);
		ck_assert(i == 0 ? object_port_set(kept) && !node_get(kept->spec, "ports")
				 : !object_port_set(kept) && node_get(kept->spec, "ports"));
		if (i == 0) {
			ck_assert_uint_eq(object_port_set(kept)->count, 3);
			ck_assert_uint_eq(object_port_set(kept)->listed, 4);
		}
		assert_same_ports(w.objects.items[0], kept);
		unload(&w);
	}
	free(wide);
	keeper_release(&keeper);
}
END_TEST

/* Services written from one template share one port set, each with its own positions. */
/* Kept trees count their lines from their object's: an Endpoints and an EndpointSlice written from one
 * template share their nodes wherever they stand in their files, and every position read through
 * object_node_position() and the port readers is the one in the file, before the object's own line
 * too (subsets written before metadata). */
START_TEST(test_kept_trees_relative)
{
	static const char *const endpoints =
		"apiVersion: v1\nkind: Endpoints\nmetadata:\n  name: db\n  labels: {app: db}\nsubsets:\n"
		"- addresses:\n  - ip: 10.0.0.1\n  ports:\n  - name: sql\n    port: 5432\n";
	static const char *const slice =
		"apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\naddressType: IPv4\nports:\n- name: sql\n"
		"  port: 5432\nendpoints:\n- addresses: [10.0.0.1]\nmetadata:\n  name: db-1\n"
		"  labels: {kubernetes.io/service-name: db}\n";
	char text[3][512];
	struct world w[3];
	struct keeper keeper;
	const struct object *kept[3];
	struct port_list full = { 0 }, copy = { 0 };
	const struct node *a, *b;
	size_t i;

	/* The Endpoints; the same six lines lower, after another document; a slice, its name last. */
	snprintf(text[0], sizeof(text[0]), "%s", endpoints);
	snprintf(text[1], sizeof(text[1]), "a: 1\n---\n# x\n# y\n# z\n# w\n%s", endpoints);
	snprintf(text[2], sizeof(text[2]), "# x\n# y\n# z\n%s", slice);
	keeper_init(&keeper, 12);
	for (i = 0; i < 3; i++) {
		load(&w[i], text[i]);
		ck_assert_uint_eq(w[i].objects.count, 1);
		kept[i] = keep(&keeper, w[i].objects.items[0]);
		ck_assert(kept[i]->relative_lines && !w[i].objects.items[0]->relative_lines);
	}
	ck_assert_uint_eq(kept[1]->position.line, 10);
	/* The same text six lines lower: one kept tree. */
	ck_assert_ptr_eq(kept[0]->root, kept[1]->root);
	/* Positions are the file's, whichever object is asked. */
	for (i = 0; i < 2; i++) {
		a = node_get(node_get(w[i].objects.items[0]->root, "subsets")->u.items[0], "addresses")->u.items[0];
		b = node_get(node_get(kept[i]->root, "subsets")->u.items[0], "addresses")->u.items[0];
		ck_assert_uint_eq(object_node_position(kept[i], b).line, node_position(a).line);
		ck_assert_uint_eq(object_node_position(kept[i], b).column, node_position(a).column);
		ck_assert_uint_eq(object_node_position(kept[i], kept[i]->labels).line,
				  node_position(w[i].objects.items[0]->labels).line);
		ports_of_endpoints(&full, w[i].objects.items[0]);
		ports_of_endpoints(&copy, kept[i]);
	}
	ck_assert_uint_eq(full.count, 2);
	ck_assert_uint_eq(copy.count, 2);
	ck_assert_uint_eq(copy.items[1].at.line, 16);
	for (i = 0; i < full.count; i++)
		assert_same_port(&full.items[i], &copy.items[i]);
	port_list_release(&full);
	port_list_release(&copy);
	/* The slice's ports and endpoints come before its name: lines before the object's own. */
	ck_assert_uint_eq(kept[2]->position.line, 13);
	ports_of_slice(&full, w[2].objects.items[0], 0);
	ports_of_slice(&copy, kept[2], 0);
	ck_assert_uint_eq(copy.count, 1);
	ck_assert_uint_eq(copy.items[0].at.line, 8);
	ck_assert_uint_eq(copy.items[0].name_at.line, 8);
	assert_same_port(&full.items[0], &copy.items[0]);
	a = node_get(w[2].objects.items[0]->root, "endpoints")->u.items[0];
	b = node_get(kept[2]->root, "endpoints")->u.items[0];
	ck_assert_uint_eq(object_node_position(kept[2], b).line, 11);
	ck_assert_uint_eq(object_node_position(kept[2], b).line, node_position(a).line);
	ck_assert_uint_eq(object_node_position(kept[2], NULL).line, 0);
	port_list_release(&full);
	port_list_release(&copy);
	for (i = 3; i-- > 0;)
		unload(&w[i]);
	keeper_release(&keeper);
}
END_TEST

START_TEST(test_kept_service_ports_shared)
{
	static const char *const texts[] = {
		"apiVersion: v1\nkind: Service\nmetadata:\n  name: a\nspec:\n  ports:\n  - name: http\n"
		"    port: 80\n    targetPort: web\n",
		/* the same Service five lines lower, in its own file */
		"# one\n# two\n# three\n# four\n# five\napiVersion: v1\nkind: Service\nmetadata:\n  name: b\n"
		"spec:\n  ports:\n  - name: http\n    port: 80\n    targetPort: web\n",
		/* another port number */
		"apiVersion: v1\nkind: Service\nmetadata:\n  name: c\nspec:\n  ports:\n  - name: http\n"
		"    port: 81\n    targetPort: web\n",
		/* spec before metadata: the ports' lines come before the Service's own position */
		"apiVersion: v1\nkind: Service\nspec:\n  ports:\n  - name: http\n    port: 80\n"
		"    targetPort: web\nmetadata:\n  name: d\n",
	};
	struct world w[4];
	struct keeper keeper;
	const struct object *kept[4];
	struct port_list ports = { 0 };
	size_t i;

	keeper_init(&keeper, 16);
	for (i = 0; i < 4; i++) {
		load(&w[i], texts[i]);
		kept[i] = keep(&keeper, w[i].objects.items[0]);
		ck_assert_ptr_nonnull(object_port_set(kept[i]));
		assert_same_ports(w[i].objects.items[0], kept[i]);
	}
	ck_assert_ptr_eq(object_port_set(kept[0]), object_port_set(kept[1]));
	ck_assert_ptr_ne(object_port_set(kept[0]), object_port_set(kept[2]));
	ck_assert_ptr_ne(object_port_set(kept[0]), object_port_set(kept[3]));
	ck_assert_int_eq(object_port_set(kept[3])->line, -4);
	ports_of_service(&ports, kept[1]);
	ck_assert_uint_eq(ports.count, 1);
	ck_assert_uint_eq(ports.items[0].at.line, 12);
	ck_assert_uint_eq(ports.items[0].at.column, 5);
	ck_assert_uint_eq(ports.items[0].name_at.line, 12);
	ck_assert_uint_eq(ports.items[0].name_at.column, 11);
	ck_assert_uint_eq(ports.items[0].target_at.line, 14);
	ck_assert_uint_eq(ports.items[0].target_at.column, 17);
	ck_assert_uint_eq(service_ports_at(kept[1]).line, 12);
	ck_assert_uint_eq(service_ports_at(kept[3]).line, 5);
	port_list_release(&ports);
	for (i = 4; i-- > 0;)
		unload(&w[i]);
	keeper_release(&keeper);
}
END_TEST

START_TEST(test_kept_service_spec)
{
	static const char *const texts[] = {
		"apiVersion: v1\nkind: Service\nmetadata: {name: a, annotations: {note: x}}\n"
		"spec:\n  sessionAffinity: ClientIP\n  selector:\n    app: a\n  ports: [{name: http, port: 80}]\n"
		"  type: ClusterIP\n---\n"
		"apiVersion: v1\nkind: Service\nmetadata: {name: c}\nspec:\n  selector: {}\n  clusterIP: None\n"
		"  ports: [{name: dns, port: 99999999999, protocol: UDP, targetPort: 5353, nodePort: 30053, "
		"appProtocol: dns}]\n",
		"apiVersion: v1\nkind: Service\nmetadata: {name: bb, annotations: {note: y}}\n"
		"spec:\n  sessionAffinity: ClientIP\n  selector:\n    app: bb\n  ports: [{name: http, port: 80}]\n"
		"  type: ClusterIP\n",
	};
	struct world w[2];
	struct keeper keeper;
	struct object *kept[3];
	const struct node *selector, *port;

	/* Slots enough that no node this test expects shared is evicted by another that hashes alike. */
	keeper_init(&keeper, 16);
	load(&w[0], texts[0]);
	load(&w[1], texts[1]);
	ck_assert_uint_eq(w[0].objects.count, 2);
	ck_assert_uint_eq(w[1].objects.count, 1);
	k8s_learn(w[0].objects.items[0]);
	k8s_learn(w[0].objects.items[1]);
	k8s_learn(w[1].objects.items[0]);
	kept[0] = keep(&keeper, w[0].objects.items[0]);
	kept[1] = keep(&keeper, w[0].objects.items[1]);
	kept[2] = keep(&keeper, w[1].objects.items[0]);
	/* What the rules over the index read is there; sessionAffinity is not. */
	ck_assert_uint_eq(kept[0]->spec->count, 2);
	ck_assert_ptr_null(node_get(kept[0]->spec, "sessionAffinity"));
	ck_assert_str_eq(service_type(kept[0]), "ClusterIP");
	ck_assert_str_eq(object_port_set(kept[0])->items[0].name, "http");	/* its ports are records */
	ck_assert_ptr_null(object_annotations(kept[0]));	/* a Service keeps none */
	selector = node_get(kept[0]->spec, "selector");
	ck_assert(node_is_map(selector));
	ck_assert_uint_eq(selector->count, 0);
	ck_assert(selector->flags & NODE_SKIMMED);
	ck_assert_uint_eq(object_node_position(kept[0], selector).line, 7);
	ck_assert_uint_eq(object_node_position(kept[0], selector).column, 5);
	ck_assert(service_has_selector(kept[0]) && !service_is_selectorless(kept[0]));
	/* Two Services that differ only in name and selector share one kept spec. */
	ck_assert_ptr_eq(kept[0]->spec, kept[2]->spec);
	ck_assert_str_eq(kept[2]->name, "bb");
	/* An empty selector stays what it is. */
	selector = node_get(kept[1]->spec, "selector");
	ck_assert(node_is_map(selector) && !(selector->flags & NODE_SKIMMED));
	ck_assert(service_is_selectorless(kept[1]) && service_is_headless(kept[1]));
	/* Ports kept as nodes (a number past 32 bits): of a port, name, port, protocol and targetPort; not
	 * nodePort or appProtocol. */
	ck_assert_ptr_null(object_port_set(kept[1]));
	port = node_get(kept[1]->spec, "ports")->u.items[0];
	ck_assert_uint_eq(port->count, 4);
	ck_assert_ptr_null(node_get(port, "nodePort"));
	ck_assert_str_eq(node_text(node_get(port, "targetPort")), "5353");
	ck_assert_uint_eq(object_node_position(kept[1], port).line, 17);
	ck_assert_uint_eq(object_node_position(kept[1], port).column, 11);
	unload(&w[1]);
	unload(&w[0]);
	keeper_release(&keeper);
}
END_TEST

/* Whether some rank of the near-miss search takes candidate as like wanted. */
static bool test_near(const char *candidate, const char *wanted)
{
	const char *why = NULL;

	return k8s_name_likeness(candidate, wanted, &why) != 0;
}

/* A name and a likeness of it: case changed, an affix, up to three edits, or another name. */
static void test_pair(unsigned int *seed, char *a, char *b)
{
	static const char alphabet[] = "abcdefghijklmnopqrstuvwxyzAB0123456789-._";
	size_t n = 1 + (size_t)rand_r(seed) % 12, i, m;
	int how = rand_r(seed) % 5, edits;

	for (i = 0; i < n; i++)
		a[i] = alphabet[rand_r(seed) % (int)(sizeof(alphabet) - 1)];
	a[n] = '\0';
	strcpy(b, a);
	switch (how) {
	case 0:
		for (i = 0; i < n; i++)
			if (rand_r(seed) % 2)
				b[i] = (char)(b[i] >= 'a' && b[i] <= 'z' ? b[i] - 32 : b[i] >= 'A' && b[i] <= 'Z' ? b[i] + 32 : b[i]);
		break;
	case 1:
		if (rand_r(seed) % 2)
			snprintf(b, 64, "%.16s%c%s", a, "-._"[rand_r(seed) % 3], "svc");
		else
			snprintf(b, 64, "%s%c%.16s", "my", "-._"[rand_r(seed) % 3], a);
		break;
	case 2:
	case 3:
		for (edits = 1 + rand_r(seed) % 3; edits > 0; edits--) {
			m = strlen(b);
			i = m ? (size_t)rand_r(seed) % (m + 1) : 0;
			switch (rand_r(seed) % 3) {
			case 0:	/* insert */
				memmove(b + i + 1, b + i, m - i + 1);
				b[i] = alphabet[rand_r(seed) % (int)(sizeof(alphabet) - 1)];
				break;
			case 1:	/* delete */
				if (i < m)
					memmove(b + i, b + i + 1, m - i);
				break;
			default:	/* substitute */
				if (i < m)
					b[i] = alphabet[rand_r(seed) % (int)(sizeof(alphabet) - 1)];
			}
		}
		break;
	default:
		m = 1 + (size_t)rand_r(seed) % 12;
		for (i = 0; i < m; i++)
			b[i] = alphabet[rand_r(seed) % (int)(sizeof(alphabet) - 1)];
		b[m] = '\0';
	}
}

/* The keys pass every pair that some tier of the near-miss search takes, and rule most others out. */
START_TEST(test_near_keys_keep_every_near_name)
{
	unsigned int seed = 7, i, near = 0, passed_far = 0, far = 0;
	char a[64], b[64];
	struct near_key ka, kb;

	for (i = 0; i < 200000; i++) {
		test_pair(&seed, a, b);
		near_key_make(&ka, a);
		near_key_make(&kb, b);
		if (test_near(a, b)) {
			near++;
			ck_assert_msg(near_key_may_match(&ka, &kb), "'%s' is near '%s', but the keys rule it out", a, b);
		} else {
			far++;
			passed_far += near_key_may_match(&ka, &kb);
		}
	}
	ck_assert_uint_gt(near, 50000);
	ck_assert_uint_gt(far, 50000);
	ck_assert_uint_lt(passed_far, far / 2);
	near_key_make(&ka, NULL);
	ck_assert_uint_eq(ka.length, NEAR_KEY_UNKNOWN);
	ck_assert(near_key_may_match(&ka, &kb));
}
END_TEST

static void test_collect_near(void *data, const struct object *candidate, const char *why)
{
	char *out = data;

	snprintf(out + strlen(out), 4096 - strlen(out), "%s/%s (%s); ", candidate->namespace, candidate->name, why);
}

/* The same near misses, in the same order, with the keys as without them; namespaces found by halves. */
START_TEST(test_near_misses_same_with_keys)
{
	static const char *const names[] = { "etcd-prom", "ETCD-PROM", "etcd-prom-endpoints", "my-etcd-prom",
					     "etcd-prm", "etcd-pro", "etcdprom", "etcd-prom.x", "zzz", "prom",
					     "etcd", "etc-prom2", "a-etcd-prom-b", "etcd_prom" };
	static const char *const wanted[] = { "etcd-prom", "etcd", "prom", "zzz", "etcd-prom-endpoints", "xyz", "etcd-prox", "ETCD-prom" };
	/* From namespace ns0, for wanted[i]: other namespaces first, then case, affixes, edits. */
	static const char *const expected[] = {
		"ns1/etcd-prom (the same name, in another namespace); ns2/etcd-prom (the same name, in another "
		"namespace); ns0/ETCD-PROM (the name differs only in case); ns0/etcd-prom-endpoints (the name differs "
		"by a suffix or prefix); ns0/my-etcd-prom (the name differs by a suffix or prefix); ns0/etcd-prom.x "
		"(the name differs by a suffix or prefix); ns0/prom (the name differs by a suffix or prefix); ns0/etcd "
		"(the name differs by a suffix or prefix); ",
		NULL, NULL, NULL, NULL,
		"",
		"ns0/etcd (the name differs by a suffix or prefix); ns0/etcd-prom (the name is one edit away); "
		"ns0/etcd-prm (the name is two edits away); ns0/etcd-pro (the name is one edit away); ns0/etcdprom "
		"(the name is two edits away); ns0/etcd-prom.x (the name is two edits away); ns0/etcd_prom (the name "
		"is two edits away); ",
		"ns0/etcd-prom (the name differs only in case); ns0/ETCD-PROM (the name differs only in case); ns0/prom "
		"(the name differs by a suffix or prefix); ",
	};
	char text[8192] = "", with[4096], without[4096];
	struct near_cache *cache;
	struct world w;
	size_t i, k, from, to;
	unsigned int limit;

	for (k = 0; k < 3; k++)
		for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
			snprintf(text + strlen(text), sizeof(text) - strlen(text), "---\napiVersion: v1\nkind: Service\n"
				 "metadata: {name: %s, namespace: ns%zu}\n", names[i], k);
	load(&w, text);
	index_namespace_range(&w.index, KIND_SERVICE, 0, "ns1", &from, &to);
	ck_assert_uint_eq(from, 14);
	ck_assert_uint_eq(to, 28);
	index_namespace_range(&w.index, KIND_SERVICE, 0, "ns", &from, &to);
	ck_assert_uint_eq(from, to);
	/* Keys come once the searches have read many names: here at once, for the searches below. */
	ck_assert_ptr_null(index_near_keys(&w.index, KIND_SERVICE, 14));
	ck_assert_ptr_nonnull(index_near_keys(&w.index, KIND_SERVICE, 100000));
	ck_assert_ptr_eq(index_near_keys(&w.index, KIND_SERVICE, 1), index_near_keys(&w.index, KIND_SERVICE, 1));
	for (k = 0; k < 3; k++)
		for (i = 0; i < sizeof(wanted) / sizeof(wanted[0]); i++) {
			const struct object *near = w.objects.items[k * 14 + 8];	/* zzz */
			struct near_budget budget = { 0, 0 };	/* 14 names a namespace: always read */

			with[0] = without[0] = '\0';
			ck_assert_uint_eq(k8s_near_misses(&w.index, near, KIND_SERVICE, near->namespace, wanted[i], 8,
							  &budget, test_collect_near, with), 0);
			cache = w.index.near;
			w.index.near = NULL;
			k8s_near_misses(&w.index, near, KIND_SERVICE, near->namespace, wanted[i], 8, &budget,
					test_collect_near, without);
			w.index.near = cache;
			ck_assert_str_eq(with, without);
			/* Fewer places keep the best of the same list (the searches stop early when full). */
			for (limit = 0; limit < 8; limit++) {
				char fewer[4096] = "";
				const char *end = with;
				unsigned int n;

				for (n = 0; n < limit && (end = strstr(end, "; ")) != NULL; n++)
					end += 2;
				k8s_near_misses(&w.index, near, KIND_SERVICE, near->namespace, wanted[i], limit,
						&budget, test_collect_near, fewer);
				ck_assert_uint_eq(strlen(fewer), end ? (size_t)(end - with) : strlen(with));
				ck_assert_int_eq(strncmp(with, fewer, strlen(fewer)), 0);
			}
			if (k == 0 && i < sizeof(expected) / sizeof(expected[0]) && expected[i])
				ck_assert_str_eq(with, expected[i]);
		}
	unload(&w);
}
END_TEST

/*
 * A rule's near-miss searches read at most budget->limit names of namespaces, a name compared in full
 * counting as NEAR_READ_PER_COMPARED: past it, a namespace of more than NEAR_READ_ALWAYS names is left
 * unread (the count comes back), a smaller one is still read, and the same name in other namespaces
 * is still found.  A zeroed budget takes its limit from the index.
 */
START_TEST(test_near_misses_budget)
{
	char *text = NULL;
	size_t len = 0, i, read;
	FILE *f = open_memstream(&text, &len);
	struct near_budget budget = { 0, 0 }, fresh = { 0, 0 };
	char found[4096];
	const struct object *big, *small;
	struct world w;

	ck_assert_ptr_nonnull(f);
	for (i = 0; i < 99; i++)
		fprintf(f, "---\napiVersion: v1\nkind: Service\nmetadata: {name: svc-%03zu, namespace: big}\n", i);
	fputs("---\napiVersion: v1\nkind: Service\nmetadata: {name: web-api, namespace: big}\n"
	      "---\napiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: other}\n"
	      "---\napiVersion: v1\nkind: Service\nmetadata: {name: web-db, namespace: small}\n"
	      "---\napiVersion: v1\nkind: Service\nmetadata: {name: cache, namespace: small}\n", f);
	fclose(f);
	load(&w, text);
	free(text);
	big = w.objects.items[0];
	small = w.objects.items[102];
	ck_assert_str_eq(small->name, "cache");

	/* No keys yet (few names read so far): each of the 100 names is compared in full. */
	found[0] = '\0';
	ck_assert_uint_eq(k8s_near_misses(&w.index, big, KIND_SERVICE, "big", "web", 3, &fresh, test_collect_near,
					  found), 0);
	ck_assert_uint_eq(fresh.limit, NEAR_READ_FREE + NEAR_READ_PER_OBJECT * w.index.count);
	ck_assert_uint_eq(fresh.read, 100 * NEAR_READ_PER_COMPARED);

	budget.limit = 100 * NEAR_READ_PER_COMPARED + 50;
	found[0] = '\0';
	ck_assert_uint_eq(k8s_near_misses(&w.index, big, KIND_SERVICE, "big", "web", 3, &budget, test_collect_near,
					  found), 0);
	ck_assert_str_eq(found, "other/web (the same name, in another namespace); big/web-api (the name differs by "
			 "a suffix or prefix); ");
	ck_assert_uint_eq(budget.read, 100 * NEAR_READ_PER_COMPARED);
	/* 100 more would pass the limit: the namespace is not read, the other namespaces' web still found. */
	found[0] = '\0';
	ck_assert_uint_eq(k8s_near_misses(&w.index, big, KIND_SERVICE, "big", "web", 3, &budget, test_collect_near,
					  found), 100);
	ck_assert_str_eq(found, "other/web (the same name, in another namespace); ");
	ck_assert_uint_eq(budget.read, 100 * NEAR_READ_PER_COMPARED);
	/* A namespace of at most NEAR_READ_ALWAYS names is read whatever was read before. */
	budget.read = read = budget.limit;
	found[0] = '\0';
	ck_assert_uint_eq(k8s_near_misses(&w.index, small, KIND_SERVICE, "small", "web", 3, &budget,
					  test_collect_near, found), 0);
	ck_assert_str_eq(found, "other/web (the same name, in another namespace); small/web-db (the name differs by "
			 "a suffix or prefix); ");
	ck_assert_uint_eq(budget.read, read + 2 * NEAR_READ_PER_COMPARED);
	/* With keys, a name they rule out costs one: of the 100, only web-api (head "web") is compared. */
	ck_assert_ptr_nonnull(index_near_keys(&w.index, KIND_SERVICE, 100000));
	budget.read = 0;
	found[0] = '\0';
	ck_assert_uint_eq(k8s_near_misses(&w.index, big, KIND_SERVICE, "big", "web", 3, &budget, test_collect_near,
					  found), 0);
	ck_assert_str_eq(found, "other/web (the same name, in another namespace); big/web-api (the name differs by "
			 "a suffix or prefix); ");
	ck_assert_uint_eq(budget.read, 100 + NEAR_READ_PER_COMPARED - 1);
	unload(&w);
}
END_TEST

/* namespace_order orders each kind by scope, namespace and input order, whether equal namespaces share
 * one pointer or not (each object's is its own copy here, but for the default one), over more
 * namespaces than the grouping's first table holds, naming each object once by its place in by_kind. */
START_TEST(test_namespace_order)
{
	struct collect_options options = { "default", "test.yaml", 0, false };
	struct arena arena;
	struct doc_set sets[3];
	struct object_list objects = { 0 };
	struct index index;
	char *text = malloc(200000);
	size_t i, j, n = 0, len;
	unsigned int seed = 7, scope;

	ck_assert_ptr_nonnull(text);
	arena_init(&arena);
	for (scope = 0; scope < 3; scope++) {
		len = 0;
		for (i = 0; i < 300; i++) {
			unsigned int ns = (seed = seed * 1103515245u + 12345u) >> 16 & 63;
			const char *kind = i % 3 == 0 ? "Endpoints" : "Service";

			/* Runs of one namespace, as in a file, then a jump; ns 63 is left unset (default). */
			if (i % 4)
				ns = ns / 2;
			if (ns == 63)
				len += (size_t)sprintf(text + len, "---\napiVersion: v1\nkind: %s\nmetadata: {name: o%zu}\n",
						       kind, n++);
			else
				len += (size_t)sprintf(text + len, "---\napiVersion: v1\nkind: %s\nmetadata: {name: o%zu, "
						       "namespace: ns%u}\n", kind, n++, ns);
		}
		ck_assert_int_eq(doc_parse(&sets[2 - scope], &arena, text, len, &doc_default_limits), 0);
		options.scope = 2 - scope;	/* the higher scope first in input order */
		object_collect(&objects, &arena, sets[2 - scope].documents, sets[2 - scope].count, &options);
	}
	index_build(&index, objects.items, objects.count);
	for (i = KIND_SERVICE; i <= KIND_ENDPOINTS; i++) {
		struct object **kind = index.by_kind[i];
		size_t count = index.kind_count[i];

		ck_assert_uint_gt(count, 200);
		for (j = 1; j < count; j++) {
			const struct object *a = index_by_namespace(&index, i, j - 1), *b = index_by_namespace(&index, i, j);
			int c = strcmp(a->namespace, b->namespace);

			ck_assert(a->scope < b->scope || (a->scope == b->scope && c < 0) ||
				  (a->scope == b->scope && c == 0 && atoi(a->name + 1) < atoi(b->name + 1)));
		}
		/* The same objects, each once: by_kind in input order holds them all. */
		for (j = 0; j < count; j++) {
			size_t k;

			for (k = 0; k < count && kind[k] != index_by_namespace(&index, i, j); k++)
				;
			ck_assert_uint_lt(k, count);
			ck_assert_uint_eq(index.namespace_order[i][j], k);
		}
	}
	index_release(&index);
	object_list_release(&objects);
	for (scope = 0; scope < 3; scope++) {
		free(sets[scope].documents);
		free(sets[scope].problems);
	}
	arena_release(&arena);
	free(text);
}
END_TEST

/* EndpointSlices of distinct names, namespaces and service-name labels each add four keys to the
 * table: one sized at three slots an object had none left empty, and the first miss probed forever. */
START_TEST(test_table_four_keys)
{
	struct collect_options options = { "default", "test.yaml", 0, false };
	struct arena arena;
	struct doc_set set;
	struct object_list objects = { 0 };
	struct index index;
	char *text = malloc(200000);
	size_t i, len = 0;

	ck_assert_ptr_nonnull(text);
	arena_init(&arena);
	for (i = 0; i < 1200; i++)
		len += (size_t)sprintf(text + len, "---\napiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\n"
				       "metadata: {name: s%zu, namespace: n%zu, labels: {kubernetes.io/service-name: "
				       "v%zu}}\n", i, i, i);
	ck_assert_int_eq(doc_parse(&set, &arena, text, len, &doc_default_limits), 0);
	object_collect(&objects, &arena, set.documents, set.count, &options);
	ck_assert_uint_eq(objects.count, 1200);
	index_build(&index, objects.items, objects.count);
	for (i = 0; i < objects.count; i++) {
		const struct object *o = objects.items[i];

		ck_assert_ptr_eq(index_find(&index, 0, KIND_ENDPOINTSLICE, o->namespace, o->name), o);
		ck_assert_ptr_eq(index_slices_for(&index, 0, o->namespace, object_label(o, SERVICE_NAME_LABEL)), o);
	}
	ck_assert_ptr_null(index_find(&index, 0, KIND_ENDPOINTSLICE, "n1", "missing"));
	ck_assert_ptr_null(index_slices_any_namespace(&index, 0, "missing"));
	index_release(&index);
	object_list_release(&objects);
	free(set.documents);
	free(set.problems);
	arena_release(&arena);
	free(text);
}
END_TEST

/* ServiceMonitors that select on more label keys than the label index takes one at a time, in named
 * namespaces, their own and any: each selects exactly the Services a scan of all of them finds. */
START_TEST(test_monitor_label_keys)
{
	char *text = malloc(100000);
	struct world w;
	struct arena arena;
	struct monitor_context mc;
	size_t i, j, len = 0, selected = 0;
	unsigned int seed = 11;

	ck_assert_ptr_nonnull(text);
	for (i = 0; i < 60; i++) {
		len += (size_t)sprintf(text + len, "---\napiVersion: v1\nkind: Service\nmetadata:\n  name: s%zu\n"
				       "  namespace: n%zu\n  labels:\n", i, i % 3);
		for (j = 0; j < 12; j++) {
			seed = seed * 1103515245u + 12345u;
			if (seed >> 16 & 1)
				len += (size_t)sprintf(text + len, "    k%zu: v%u\n", j, seed >> 20 & 1);
		}
		len += (size_t)sprintf(text + len, "spec: {selector: {app: s}, ports: [{name: m, port: 80}]}\n");
	}
	for (i = 0; i < 15; i++)
		len += (size_t)sprintf(text + len, "---\napiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\n"
				       "metadata: {name: m%zu, namespace: n0}\nspec:\n  selector: {matchLabels: {k%zu: v%zu}}\n"
				       "%s  endpoints: [{port: m}]\n", i, i % 12, i % 2,
				       i % 3 == 0 ? "  namespaceSelector: {matchNames: [n1]}\n" :
				       i % 3 == 2 ? "  namespaceSelector: {any: true}\n" : "");
	load(&w, text);
	arena_init(&arena);
	monitor_context_init(&mc, &arena, &w.index);
	for (i = 0; i < w.index.kind_count[KIND_SERVICEMONITOR]; i++) {
		const struct object *m = w.index.by_kind[KIND_SERVICEMONITOR][i];
		struct monitor_selection sel;
		char key[8], value[8];
		size_t found = 0, k;

		snprintf(key, sizeof(key), "k%zu", i % 12);
		snprintf(value, sizeof(value), "v%zu", i % 2);
		ck_assert_int_eq(monitor_select(&sel, &mc, m), MONITOR_OK);
		for (j = 0; j < w.index.kind_count[KIND_SERVICE]; j++) {
			const struct object *s = w.index.by_kind[KIND_SERVICE][j];
			const char *v = object_label_string(s, key);
			bool in = i % 3 == 0 ? strcmp(s->namespace, "n1") == 0 :
				  i % 3 == 1 ? strcmp(s->namespace, "n0") == 0 : true;

			if (!in || !v || strcmp(v, value) != 0)
				continue;
			ck_assert_uint_lt(found, sel.service_count);
			ck_assert_ptr_eq(sel.services[found], s);
			found++;
		}
		ck_assert_uint_eq(found, sel.service_count);
		selected += found;
		/* Equal lists are one list (monitors 0 and 12, 1 and 13, 2 and 14 select alike), and only
		 * equal lists are. */
		for (k = 0; k < i; k++) {
			struct monitor_selection other;
			bool equal;

			monitor_select(&other, &mc, w.index.by_kind[KIND_SERVICEMONITOR][k]);
			equal = other.service_count == sel.service_count &&
				memcmp(other.services, sel.services, sel.service_count * sizeof(*sel.services)) == 0;
			ck_assert_int_eq(other.services == sel.services, equal);
			if (k + 12 == i)
				ck_assert(equal);
		}
	}
	ck_assert_uint_gt(selected, 60);
	monitor_context_release(&mc);
	arena_release(&arena);
	unload(&w);
	free(text);
}
END_TEST

/* A monitor's Services in input order and each once, when the scan meets them out of order: through
 * the bitmap when they are many (words of 64 Services, up to the last bit of each), else qsort. */
START_TEST(test_monitor_positions_order)
{
	char *text = malloc(60000);
	struct world w;
	struct arena arena;
	struct monitor_context mc;
	struct monitor_selection all, two;
	size_t i, len = 0;

	ck_assert_ptr_nonnull(text);
	/* 200 Services, in namespaces a and b by turns: the scan visits a's, then b's. */
	for (i = 0; i < 200; i++)
		len += (size_t)sprintf(text + len, "---\napiVersion: v1\nkind: Service\nmetadata:\n  name: s%zu\n"
				       "  namespace: %s\n  labels: {app: x%s}\nspec: {selector: {app: s}, "
				       "ports: [{name: m, port: 80}]}\n", i, i % 2 ? "b" : "a",
				       i == 5 || i == 6 ? ", pick: one" : "");
	len += (size_t)sprintf(text + len, "---\napiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\n"
			       "metadata: {name: all, namespace: a}\nspec: {selector: {matchLabels: {app: x}}, "
			       "namespaceSelector: {any: true}, endpoints: [{port: m}]}\n");
	len += (size_t)sprintf(text + len, "---\napiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\n"
			       "metadata: {name: two, namespace: a}\nspec: {selector: {matchLabels: {pick: one}}, "
			       "namespaceSelector: {any: true}, endpoints: [{port: m}]}\n");
	load(&w, text);
	arena_init(&arena);
	monitor_context_init(&mc, &arena, &w.index);
	ck_assert_uint_eq(w.index.kind_count[KIND_SERVICE], 200);
	ck_assert_int_eq(monitor_select(&all, &mc, w.index.by_kind[KIND_SERVICEMONITOR][0]), MONITOR_OK);
	ck_assert_uint_eq(all.service_count, 200);
	for (i = 0; i < 200; i++)
		ck_assert_ptr_eq(all.services[i], w.index.by_kind[KIND_SERVICE][i]);
	ck_assert_int_eq(monitor_select(&two, &mc, w.index.by_kind[KIND_SERVICEMONITOR][1]), MONITOR_OK);
	ck_assert_uint_eq(two.service_count, 2);
	ck_assert_ptr_eq(two.services[0], w.index.by_kind[KIND_SERVICE][5]);
	ck_assert_ptr_eq(two.services[1], w.index.by_kind[KIND_SERVICE][6]);
	monitor_context_release(&mc);
	arena_release(&arena);
	unload(&w);
	free(text);
}
END_TEST

/* Target ports worked out once for Services that several monitors select are the ones worked out
 * each time: the same list, item for item, under either role. */
START_TEST(test_monitor_targets_cached)
{
	static const char text[] =
		"apiVersion: v1\nkind: Service\nmetadata: {name: a, namespace: ns, labels: {app: x}}\n"
		"spec: {clusterIP: None, ports: [{name: m, port: 1}]}\n---\n"
		"apiVersion: v1\nkind: Endpoints\nmetadata: {name: a, namespace: ns}\n"
		"subsets: [{addresses: [{ip: 10.0.0.1}], ports: [{name: e, port: 1}]}]\n---\n"
		"apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\n"
		"metadata: {name: a-1, namespace: ns, labels: {kubernetes.io/service-name: a}}\n"
		"addressType: IPv4\nendpoints: [{addresses: [10.0.0.2]}]\nports: [{name: s, port: 1}]\n---\n"
		"apiVersion: v1\nkind: Service\nmetadata: {name: b, namespace: ns, labels: {app: x}}\n"
		"spec: {selector: {app: b}, ports: [{name: p, port: 2}, {name: q, port: 3}]}\n---\n"
		"apiVersion: v1\nkind: Service\nmetadata: {name: c, namespace: ns, labels: {app: y}}\n"
		"spec: {selector: {app: c}, ports: [{name: r, port: 4}]}\n---\n"
		"apiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata: {name: one, namespace: ns}\n"
		"spec: {selector: {matchLabels: {app: x}}, endpoints: [{port: m}]}\n---\n"
		"apiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata: {name: two, namespace: ns}\n"
		"spec: {serviceDiscoveryRole: EndpointSlice, selector: {matchLabels: {app: x}}, endpoints: [{port: m}]}\n"
		"---\napiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata: {name: three, namespace: ns}\n"
		"spec: {selector: {}, endpoints: [{port: m}]}\n";
	struct world w;
	struct arena arena;
	struct monitor_context mc;
	struct target_cache *cache;
	size_t i, cached_items = 0;

	load(&w, text);
	arena_init(&arena);
	monitor_context_init(&mc, &arena, &w.index);
	ck_assert_ptr_nonnull(mc.targets);
	for (i = 0; i < w.index.kind_count[KIND_SERVICEMONITOR]; i++) {
		const struct object *m = w.index.by_kind[KIND_SERVICEMONITOR][i];
		struct monitor_selection sel;
		struct port_list with = { 0 }, without = { 0 };
		size_t known_with, known_without, k;

		ck_assert_int_eq(monitor_select(&sel, &mc, m), MONITOR_OK);
		ck_assert_uint_ge(sel.service_count, 2);
		known_with = monitor_gather_ports(&sel, &mc, &with);
		cache = mc.targets;
		mc.targets = NULL;
		known_without = monitor_gather_ports(&sel, &mc, &without);
		mc.targets = cache;
		ck_assert_uint_eq(known_with, known_without);
		ck_assert_uint_eq(with.count, without.count);
		for (k = 0; k < with.count; k++) {
			ck_assert_ptr_eq(with.items[k].owner, without.items[k].owner);
			ck_assert_uint_eq(with.items[k].group, without.items[k].group);
			assert_same_port(&with.items[k], &without.items[k]);
		}
		cached_items += with.count;
		port_list_release(&with);
		port_list_release(&without);
	}
	ck_assert_uint_ge(cached_items, 9);
	monitor_context_release(&mc);
	arena_release(&arena);
	unload(&w);

	/* Cached: the Services more than one selection holds, s2 in two lists, s3 in one list that two
	 * monitors share; not s1, in one list of one monitor. */
	load(&w, "apiVersion: v1\nkind: Service\nmetadata: {name: s1, namespace: ns, labels: {k1: a}}\n"
		 "spec: {selector: {app: s1}, ports: [{name: m, port: 1}]}\n---\n"
		 "apiVersion: v1\nkind: Service\nmetadata: {name: s2, namespace: ns, labels: {k1: a, k2: a}}\n"
		 "spec: {selector: {app: s2}, ports: [{name: m, port: 1}]}\n---\n"
		 "apiVersion: v1\nkind: Service\nmetadata: {name: s3, namespace: ns, labels: {k3: a}}\n"
		 "spec: {selector: {app: s3}, ports: [{name: m, port: 1}]}\n---\n"
		 "apiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata: {name: m1, namespace: ns}\n"
		 "spec: {selector: {matchLabels: {k1: a}}, endpoints: [{port: m}]}\n---\n"
		 "apiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata: {name: m2, namespace: ns}\n"
		 "spec: {selector: {matchLabels: {k2: a}}, endpoints: [{port: m}]}\n---\n"
		 "apiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata: {name: m3, namespace: ns}\n"
		 "spec: {selector: {matchLabels: {k3: a}}, endpoints: [{port: m}]}\n---\n"
		 "apiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata: {name: m4, namespace: ns}\n"
		 "spec: {selector: {matchLabels: {k3: a}}, endpoints: [{port: m}]}\n");
	arena_init(&arena);
	monitor_context_init(&mc, &arena, &w.index);
	ck_assert(!monitor_targets_cached(&mc, w.index.by_kind[KIND_SERVICE][0]));
	ck_assert(monitor_targets_cached(&mc, w.index.by_kind[KIND_SERVICE][1]));
	ck_assert(monitor_targets_cached(&mc, w.index.by_kind[KIND_SERVICE][2]));
	monitor_context_release(&mc);
	arena_release(&arena);
	unload(&w);
}
END_TEST

/* Monitors that differ only in what their scans read (the namespaces and how they are looked in,
 * the selector's operator) select differently, though the scan of one is given again to the next
 * that is alike in all of that. */
START_TEST(test_monitor_scan_reuse)
{
	static const char *const services[] = { "a", "b", "c", "default" };
	static const struct {
		const char *metadata, *spec, *expected;
	} monitors[] = {
		{ "{name: m0, namespace: a}", "{matchNames: [a]}", "a" },
		{ "{name: m1, namespace: a}", "{matchNames: [b]}", "b" },
		{ "{name: m2, namespace: a}", "{any: true}", "a,b,c,default" },
		{ "{name: m3, namespace: a}", "{}", "a" },
		{ "{name: m4, namespace: b}", "{}", "b" },
		{ "{name: m5}", "{}", "a,b,c,default" },
		{ "{name: m6, namespace: default}", "{}", "default" },
		{ "{name: m7, namespace: a}", "{any: true}", "a,b,c,default" },
		{ "{name: m8, namespace: c}", "{matchNames: [b]}", "b" },
	};
	char text[8192], got[64];
	struct world w;
	struct arena arena;
	struct monitor_context mc;
	size_t i, k, len = 0;

	for (i = 0; i < 4; i++)
		len += (size_t)snprintf(text + len, sizeof(text) - len, "---\napiVersion: v1\nkind: Service\nmetadata: "
					"{name: s, namespace: %s, labels: {app: x}}\nspec: {selector: {app: s}, ports: "
					"[{name: m, port: 1}]}\n", services[i]);
	len += (size_t)snprintf(text + len, sizeof(text) - len, "---\napiVersion: v1\nkind: Service\nmetadata: {name: "
				"other, namespace: a, labels: {app: w}}\nspec: {selector: {app: s}, ports: [{name: m, port: 1}]}\n");
	for (i = 0; i < sizeof(monitors) / sizeof(monitors[0]); i++)
		len += (size_t)snprintf(text + len, sizeof(text) - len, "---\napiVersion: monitoring.coreos.com/v1\n"
					"kind: ServiceMonitor\nmetadata: %s\nspec: {selector: {matchExpressions: [{key: app, "
					"operator: %s, values: [x]}]}, namespaceSelector: %s, endpoints: [{port: m}]}\n",
					monitors[i].metadata, i == 7 ? "NotIn" : "In", monitors[i].spec);
	ck_assert_uint_lt(len, sizeof(text) - 1);
	load(&w, text);
	arena_init(&arena);
	monitor_context_init(&mc, &arena, &w.index);
	for (i = 0; i < sizeof(monitors) / sizeof(monitors[0]); i++) {
		struct monitor_selection sel;
		const char *expected = i == 7 ? "a" : monitors[i].expected;
		size_t used = 0;

		ck_assert_int_eq(monitor_select(&sel, &mc, w.index.by_kind[KIND_SERVICEMONITOR][i]), MONITOR_OK);
		got[0] = '\0';
		for (k = 0; k < sel.service_count; k++)
			used += (size_t)snprintf(got + used, sizeof(got) - used, "%s%s", k ? "," : "",
						 sel.services[k]->namespace);
		ck_assert_msg(strcmp(got, expected) == 0, "monitor m%zu selects '%s', not '%s'", i, got, expected);
	}
	monitor_context_release(&mc);
	arena_release(&arena);
	unload(&w);

	/* Two scopes (config scopes: independent manifest sets), alike in all else: a monitor selects
	 * in its own scope only. */
	load(&w, "apiVersion: v1\nkind: Service\nmetadata: {name: s, namespace: a, labels: {app: x}}\n---\n"
		 "apiVersion: v1\nkind: Service\nmetadata: {name: t, namespace: a, labels: {app: x}}\n---\n"
		 "apiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata: {name: m, namespace: a}\n"
		 "spec: {selector: {matchLabels: {app: x}}, endpoints: [{port: m}]}\n---\n"
		 "apiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata: {name: m, namespace: a}\n"
		 "spec: {selector: {matchLabels: {app: x}}, endpoints: [{port: m}]}\n");
	index_release(&w.index);
	w.objects.items[1]->scope = 1;
	w.objects.items[3]->scope = 1;
	index_build(&w.index, w.objects.items, w.objects.count);
	arena_init(&arena);
	monitor_context_init(&mc, &arena, &w.index);
	for (i = 0; i < 2; i++) {
		struct monitor_selection sel;

		ck_assert_int_eq(monitor_select(&sel, &mc, w.index.by_kind[KIND_SERVICEMONITOR][i]), MONITOR_OK);
		ck_assert_uint_eq(sel.service_count, 1);
		ck_assert_str_eq(sel.services[0]->name, i ? "t" : "s");
	}
	monitor_context_release(&mc);
	arena_release(&arena);
	unload(&w);

	/* A selected Service defined twice: no one can tell which one the monitor meets, for the monitor
	 * that scans and for the one alike that takes its scan. */
	load(&w, "apiVersion: v1\nkind: Service\nmetadata: {name: s, namespace: a, labels: {app: x}}\n---\n"
		 "apiVersion: v1\nkind: Service\nmetadata: {name: s, namespace: a, labels: {app: x}}\n---\n"
		 "apiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata: {name: m, namespace: a}\n"
		 "spec: {selector: {matchLabels: {app: x}}, endpoints: [{port: m}]}\n---\n"
		 "apiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata: {name: n, namespace: a}\n"
		 "spec: {selector: {matchLabels: {app: x}}, endpoints: [{port: m}]}\n");
	arena_init(&arena);
	monitor_context_init(&mc, &arena, &w.index);
	for (i = 0; i < 2; i++) {
		struct monitor_selection sel;

		ck_assert_int_eq(monitor_select(&sel, &mc, w.index.by_kind[KIND_SERVICEMONITOR][i]), MONITOR_UNKNOWN);
		ck_assert_uint_eq(sel.service_count, 2);
	}
	monitor_context_release(&mc);
	arena_release(&arena);
	unload(&w);

	/* RoleSelector matches the role's objects: the (unmirrored) Endpoints under the Endpoints role,
	 * the unlabelled slice under the slice role. */
	load(&w, "apiVersion: v1\nkind: Service\nmetadata: {name: s, namespace: a}\nspec: {ports: [{name: m, port: 1}]}\n"
		 "---\napiVersion: v1\nkind: Endpoints\nmetadata: {name: s, namespace: a, labels: {app: x, "
		 "endpointslice.kubernetes.io/skip-mirror: \"true\"}}\nsubsets: [{addresses: [{ip: 10.0.0.1}], "
		 "ports: [{name: m, port: 1}]}]\n---\napiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\n"
		 "metadata: {name: s-1, namespace: a, labels: {kubernetes.io/service-name: s}}\naddressType: IPv4\n"
		 "endpoints: [{addresses: [10.0.0.2]}]\nports: [{name: m, port: 1}]\n---\n"
		 "apiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata: {name: r1, namespace: a}\n"
		 "spec: {selectorMechanism: RoleSelector, selector: {matchLabels: {app: x}}, endpoints: [{port: m}]}\n---\n"
		 "apiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata: {name: r2, namespace: a}\n"
		 "spec: {selectorMechanism: RoleSelector, serviceDiscoveryRole: EndpointSlice, selector: {matchLabels: "
		 "{app: x}}, endpoints: [{port: m}]}\n");
	arena_init(&arena);
	monitor_context_init(&mc, &arena, &w.index);
	for (i = 0; i < 2; i++) {
		struct monitor_selection sel;

		ck_assert_int_eq(monitor_select(&sel, &mc, w.index.by_kind[KIND_SERVICEMONITOR][i]), MONITOR_OK);
		ck_assert_uint_eq(sel.service_count, i ? 0 : 1);
	}
	monitor_context_release(&mc);
	arena_release(&arena);
	unload(&w);
}
END_TEST

/* Ports gathered for a selection of many Services are kept and given again to the monitors that
 * select the same Services under the same roles, item for item what gathering again gives; so are
 * rules' facts about them. */
static void assert_same_list(const struct port_list *a, const struct port_list *b)
{
	size_t k;

	ck_assert_uint_eq(a->count, b->count);
	for (k = 0; k < a->count; k++) {
		ck_assert_ptr_eq(a->items[k].owner, b->items[k].owner);
		assert_same_port(&a->items[k], &b->items[k]);
	}
}

/* Facts for test_monitor_ports_kept: each counts its calls. */
static size_t fact_calls[2];

static size_t fact_services(const struct monitor_selection *sel, const struct monitor_context *mc)
{
	(void)mc;
	fact_calls[0]++;
	return sel->service_count * 10 + sel->roles;
}

static size_t fact_first(const struct monitor_selection *sel, const struct monitor_context *mc)
{
	(void)mc;
	fact_calls[1]++;
	return sel->service_count ? 1000 : 0;
}

START_TEST(test_monitor_ports_kept)
{
	char *text = malloc(20000);
	struct world w;
	struct arena arena;
	struct monitor_context mc;
	struct monitor_selection sel[4];
	const struct port_list *got[4];
	struct port_list again[4];
	size_t i, len = 0, known;

	ck_assert_ptr_nonnull(text);
	/* s0 has no selector: its Endpoints name the port e, its slice s; the others name their own. */
	len += (size_t)sprintf(text + len, "apiVersion: v1\nkind: Endpoints\nmetadata: {name: s0, namespace: ns}\n"
			       "subsets: [{addresses: [{ip: 10.0.0.1}], ports: [{name: e, port: 1}]}]\n---\n"
			       "apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\n"
			       "metadata: {name: s0-1, namespace: ns, labels: {kubernetes.io/service-name: s0}}\n"
			       "addressType: IPv4\nendpoints: [{addresses: [10.0.0.2]}]\nports: [{name: s, port: 1}]\n");
	for (i = 0; i < 20; i++)
		len += (size_t)sprintf(text + len, "---\napiVersion: v1\nkind: Service\nmetadata: {name: s%zu, namespace: ns, "
				       "labels: {app: %s}}\nspec: {%sports: [{name: p%zu, port: 1}]}\n", i, i < 18 ? "x" : "z",
				       i ? "selector: {app: s}, " : "", i);
	len += (size_t)sprintf(text + len, "---\napiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\n"
			       "metadata: {name: m0, namespace: ns}\nspec: {selector: {matchLabels: {app: x}}, endpoints: [{port: e}]}\n"
			       "---\napiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata: {name: m1, namespace: ns}\n"
			       "spec: {selector: {matchLabels: {app: x}}, endpoints: [{port: p1}]}\n"
			       "---\napiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata: {name: m2, namespace: ns}\n"
			       "spec: {serviceDiscoveryRole: EndpointSlice, selector: {matchLabels: {app: x}}, endpoints: [{port: s}]}\n"
			       "---\napiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata: {name: m3, namespace: ns}\n"
			       "spec: {selector: {matchLabels: {app: z}}, endpoints: [{port: p18}]}\n");
	load(&w, text);
	arena_init(&arena);
	monitor_context_init(&mc, &arena, &w.index);
	monitor_memo_begin(&mc);
	for (i = 0; i < 4; i++) {
		ck_assert_int_eq(monitor_select(&sel[i], &mc, w.index.by_kind[KIND_SERVICEMONITOR][i]), MONITOR_OK);
		memset(&again[i], 0, sizeof(again[i]));
		ck_assert_uint_eq(monitor_gather_ports(&sel[i], &mc, &again[i]), i < 3 ? 18 : 2);
	}
	ck_assert_uint_eq(sel[0].service_count, 18);
	ck_assert_ptr_eq(sel[1].services, sel[0].services);
	ck_assert_ptr_eq(sel[2].services, sel[0].services);
	ck_assert_uint_ne(sel[2].roles, sel[0].roles);
	for (i = 0; i < 4; i++) {
		got[i] = monitor_selection_ports(&sel[i], &mc, &known);
		ck_assert_uint_eq(known, i < 3 ? 18 : 2);
		assert_same_list(got[i], &again[i]);
	}
	/* The same Services under the same roles: the kept list; under other roles, another. */
	ck_assert_ptr_eq(got[1], got[0]);
	ck_assert_ptr_ne(got[2], got[0]);
	/* Under the slice role s0's slice counts as well as its (mirrored) Endpoints. */
	ck_assert(!ports_named(got[0], "s") && ports_named(got[0], "e"));
	ck_assert(ports_named(got[2], "s") && ports_named(got[2], "e"));
	/* Kept lists outlive the calls after them. */
	assert_same_list(got[0], &again[0]);
	assert_same_list(got[2], &again[2]);
	for (i = 0; i < 4; i++)
		port_list_release(&again[i]);
	/* Facts: once per list, roles and fact for many Services; each time for few. */
	ck_assert_uint_eq(monitor_selection_fact(&sel[0], &mc, fact_services), 180 + sel[0].roles);
	ck_assert_uint_eq(monitor_selection_fact(&sel[1], &mc, fact_services), 180 + sel[0].roles);
	ck_assert_uint_eq(fact_calls[0], 1);
	ck_assert_uint_eq(monitor_selection_fact(&sel[2], &mc, fact_services), 180 + sel[2].roles);
	ck_assert_uint_eq(fact_calls[0], 2);
	ck_assert_uint_eq(monitor_selection_fact(&sel[0], &mc, fact_first), 1000);
	ck_assert_uint_eq(monitor_selection_fact(&sel[1], &mc, fact_first), 1000);
	ck_assert_uint_eq(fact_calls[1], 1);
	ck_assert_uint_eq(monitor_selection_fact(&sel[3], &mc, fact_services), 20 + sel[3].roles);
	ck_assert_uint_eq(monitor_selection_fact(&sel[3], &mc, fact_services), 20 + sel[3].roles);
	ck_assert_uint_eq(fact_calls[0], 4);
	ck_assert_uint_eq(monitor_selection_fact(&sel[1], &mc, fact_services), 180 + sel[0].roles);
	ck_assert_uint_eq(fact_calls[0], 4);
	monitor_memo_end(&mc);
	ck_assert_ptr_null(mc.memo);
	monitor_context_release(&mc);
	arena_release(&arena);
	unload(&w);
	free(text);
}
END_TEST

Suite *index_suite(void)
{
	Suite *s = suite_create("index");
	TCase *t = tcase_create("index");

	tcase_add_test(t, test_kinds_and_lookup);
	tcase_add_test(t, test_pairing_exact_and_slices);
	tcase_add_test(t, test_learned_service_facts);
	tcase_add_test(t, test_kept_service_spec);
	tcase_add_test(t, test_kept_backends);
	tcase_add_test(t, test_kept_monitor_spec);
	tcase_add_test(t, test_kept_service_labels);
	tcase_add_test(t, test_kept_service_ports);
	tcase_add_test(t, test_kept_service_ports_shared);
	tcase_add_test(t, test_kept_trees_relative);
	tcase_add_test(t, test_pairing_through_unset_namespace);
	tcase_add_test(t, test_both_explicit_never_pair);
	tcase_add_test(t, test_duplicates_chain);
	tcase_add_test(t, test_near_keys_keep_every_near_name);
	tcase_add_test(t, test_near_misses_same_with_keys);
	tcase_add_test(t, test_near_misses_budget);
	tcase_add_test(t, test_namespace_order);
	tcase_add_test(t, test_table_four_keys);
	tcase_add_test(t, test_monitor_label_keys);
	tcase_add_test(t, test_monitor_positions_order);
	tcase_add_test(t, test_monitor_targets_cached);
	tcase_add_test(t, test_monitor_ports_kept);
	tcase_add_test(t, test_monitor_scan_reuse);
	suite_add_tcase(s, t);
	return s;
}
