/* test_ports.c: ports with Kubernetes' defaults, and how close a backend port comes to a Service port. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "k8s.h"
#include "ports.h"
#include "suites.h"

struct world {
	struct arena arena;
	struct doc_set set;
	struct object_list objects;
	struct index index;
	struct port_list service, backend;
};

/* Loads a Service (first document) and an Endpoints (second) and reads both sides' ports. */
static void load(struct world *w, const char *text)
{
	struct collect_options options = { "default", "test.yaml", 0, false };

	arena_init(&w->arena);
	memset(&w->objects, 0, sizeof(w->objects));
	memset(&w->service, 0, sizeof(w->service));
	memset(&w->backend, 0, sizeof(w->backend));
	ck_assert_int_eq(doc_parse(&w->set, &w->arena, text, strlen(text), &doc_default_limits), 0);
	object_collect(&w->objects, &w->arena, w->set.documents, w->set.count, &options);
	index_build(&w->index, w->objects.items, w->objects.count);
	ck_assert_uint_eq(w->objects.count, 2);
	ports_of_service(&w->service, w->objects.items[0]);
	ports_of_endpoints(&w->backend, w->objects.items[1]);
}

static void unload(struct world *w)
{
	port_list_release(&w->service);
	port_list_release(&w->backend);
	index_release(&w->index);
	object_list_release(&w->objects);
	free(w->set.documents);
	free(w->set.problems);
	arena_release(&w->arena);
}

#define SERVICE "apiVersion: v1\nkind: Service\nmetadata: {name: dns, namespace: kube-system}\nspec:\n  ports:\n"
#define ENDPOINTS "---\napiVersion: v1\nkind: Endpoints\nmetadata: {name: dns, namespace: kube-system}\n" \
		  "subsets:\n- addresses: [{ip: 192.0.2.53}]\n  ports:\n"

START_TEST(test_defaults_and_describe)
{
	struct world w;

	load(&w, SERVICE "  - {port: 80, targetPort: 9376}\n  - {name: dns, port: 53, protocol: UDP, targetPort: dns}\n"
		 ENDPOINTS "  - {port: 9376, protocol: null}\n  - {name: dns, port: 53, protocol: UDP}\n");
	ck_assert_uint_eq(w.service.count, 2);
	ck_assert_str_eq(w.service.items[0].name, "");
	ck_assert_str_eq(w.service.items[0].protocol, "TCP");
	ck_assert_int_eq(port_target_number(&w.service.items[0]), 9376);
	ck_assert_int_eq(port_target_number(&w.service.items[1]), 0);	/* a name */
	ck_assert(!w.backend.items[0].protocol_set);
	ck_assert(w.backend.items[1].protocol_set);
	/* Where the parts stand: the map, the name's value (none for the unnamed port), targetPort's. */
	ck_assert_uint_eq(w.service.items[1].at.line, 7);
	ck_assert_uint_eq(w.service.items[1].at.column, 5);
	ck_assert_uint_eq(w.service.items[0].name_at.line, 0);
	ck_assert_uint_eq(w.service.items[1].name_at.line, 7);
	ck_assert_uint_eq(w.service.items[1].name_at.column, 12);
	ck_assert_str_eq(w.service.items[1].target_name, "dns");
	ck_assert_uint_eq(w.service.items[1].target_at.column, 54);
	ck_assert_ptr_null(w.service.items[0].target_name);
	ck_assert(port_protocol_is_valid("SCTP"));
	ck_assert(!port_protocol_is_valid("tcp"));
	ck_assert_str_eq(port_describe(&w.arena, "Service port", &w.service.items[0]),
			 "the unnamed Service port (80/TCP)");
	ck_assert_str_eq(port_describe(&w.arena, "Endpoints port", &w.backend.items[1]),
			 "Endpoints port 'dns' (53/UDP)");
	ck_assert_ptr_eq(ports_find(&w.backend, "", "TCP"), &w.backend.items[0]);
	ck_assert_ptr_null(ports_find(&w.backend, "dns", "TCP"));
	unload(&w);
}
END_TEST

START_TEST(test_closest_protocol_first)
{
	struct world w;
	enum port_likeness l;
	const struct port_ref *p;

	/* 'dns' without a protocol is TCP: the same name with another protocol beats a typo. */
	load(&w, SERVICE "  - {name: dns, port: 53, protocol: UDP}\n"
		 ENDPOINTS "  - {name: dnss, port: 53, protocol: UDP}\n  - {name: dns, port: 53}\n");
	p = ports_closest(&w.backend, NULL, &w.service.items[0], &l);
	ck_assert_ptr_eq(p, &w.backend.items[1]);
	ck_assert_int_eq(l, PORT_LIKE_PROTOCOL);
	ck_assert_str_eq(port_likeness_why(&w.arena, &w.service.items[0], p, l),
			 "this port is also named 'dns', but it has no protocol, so it defaults to TCP, not UDP");
	ck_assert_str_eq(port_likeness_fix(&w.arena, "Endpoints port", &w.service.items[0], p),
			 "set protocol: UDP on Endpoints port 'dns'");
	unload(&w);
}
END_TEST

START_TEST(test_closest_name_unnamed_number)
{
	struct world w;
	enum port_likeness l;
	const struct port_ref *p;
	bool skip[3] = { false, false, false };

	load(&w, SERVICE "  - {name: metrics, port: 2381}\n"
		 ENDPOINTS "  - {name: client, port: 2381}\n  - {name: metric, port: 9000}\n  - {port: 2381}\n");
	p = ports_closest(&w.backend, NULL, &w.service.items[0], &l);
	ck_assert_ptr_eq(p, &w.backend.items[1]);
	ck_assert_int_eq(l, PORT_LIKE_NAME);
	ck_assert_str_eq(port_likeness_fix(&w.arena, "Endpoints port", &w.service.items[0], p),
			 "rename Endpoints port 'metric' to 'metrics'");
	skip[1] = true;
	p = ports_closest(&w.backend, skip, &w.service.items[0], &l);
	ck_assert_ptr_eq(p, &w.backend.items[2]);
	ck_assert_int_eq(l, PORT_LIKE_UNNAMED);
	ck_assert_str_eq(port_likeness_fix(&w.arena, "Endpoints port", &w.service.items[0], p),
			 "name the unnamed Endpoints port 'metrics'");
	skip[2] = true;
	p = ports_closest(&w.backend, skip, &w.service.items[0], &l);
	ck_assert_ptr_eq(p, &w.backend.items[0]);
	ck_assert_int_eq(l, PORT_LIKE_NUMBER);
	skip[0] = true;
	ck_assert_ptr_null(ports_closest(&w.backend, skip, &w.service.items[0], &l));
	ck_assert_int_eq(l, PORT_LIKE_NONE);
	unload(&w);
}
END_TEST

START_TEST(test_closest_prefers_target_number)
{
	struct world w;
	enum port_likeness l;
	const struct port_ref *p;

	/* Both are named while the Service port is not; the one with targetPort's number wins. */
	load(&w, SERVICE "  - {port: 80, targetPort: 9376}\n"
		 ENDPOINTS "  - {name: admin, port: 9000}\n  - {name: http, port: 9376}\n");
	p = ports_closest(&w.backend, NULL, &w.service.items[0], &l);
	ck_assert_ptr_eq(p, &w.backend.items[1]);
	ck_assert_int_eq(l, PORT_LIKE_UNNAMED);
	ck_assert_str_eq(port_likeness_fix(&w.arena, "Endpoints port", &w.service.items[0], p),
			 "remove the name 'http' from the Endpoints port");
	unload(&w);
}
END_TEST

START_TEST(test_unique)
{
	struct world w;

	load(&w, SERVICE "  - {port: 80}\n" ENDPOINTS "  - {port: 80}\n");
	ck_assert(object_is_unique(&w.index, w.objects.items[0]));
	unload(&w);
}
END_TEST

/* port_finder_find() answers what ports_find() does, and port_finder_has_name() what ports_named()
 * does, on short lists (searched in order) and long ones (sorted), with names and protocols
 * repeated, for keys present and absent. */
START_TEST(test_port_finder)
{
	static const char *const protocols[] = { "TCP", "UDP", "SCTP" };
	static const size_t sizes[] = { 0, 1, PORT_FINDER_SHORT, PORT_FINDER_SHORT + 1, 200 };
	char names[200][8];
	size_t z, i, q;

	for (i = 0; i < 200; i++)
		snprintf(names[i], sizeof(names[i]), "n%zu", i % 13);
	for (i = 3; i < 200; i += 17)
		names[i][0] = '\0';
	for (z = 0; z < sizeof(sizes) / sizeof(sizes[0]); z++) {
		struct port_list list = { 0 };
		struct port_finder finder;

		for (i = 0; i < sizes[z]; i++) {
			GROW(list.items, list.capacity, list.count + 1);
			memset(&list.items[list.count], 0, sizeof(list.items[0]));
			list.items[list.count].name = names[i];
			list.items[list.count++].protocol = protocols[i % 3 == 2 ? 1 : i % 5 == 4 ? 2 : 0];
		}
		/* For few look-ups a long list is not sorted either. */
		port_finder_init_for(&finder, &list, PORT_FINDER_SHORT);
		ck_assert_ptr_null(finder.sorted);
		ck_assert(port_finder_has_name(&finder, "n1") == (ports_named(&list, "n1") != NULL));
		port_finder_init_for(&finder, &list, PORT_FINDER_SHORT + 1);
		ck_assert(sizes[z] > PORT_FINDER_SHORT ? finder.sorted != NULL : finder.sorted == NULL);
		port_finder_release(&finder);
		port_finder_init(&finder, &list);
		ck_assert(sizes[z] > PORT_FINDER_SHORT ? finder.sorted != NULL : finder.sorted == NULL);
		for (q = 0; q < 15; q++) {
			char name[8];
			size_t p;

			snprintf(name, sizeof(name), "n%zu", q);
			if (q == 14)
				name[0] = '\0';
			/* A name used (n0 to n12, ""), or not: n13, and names before and after all of them. */
			ck_assert(port_finder_has_name(&finder, name) == (ports_named(&list, name) != NULL));
			ck_assert(!port_finder_has_name(&finder, "a") && !port_finder_has_name(&finder, "z"));
			for (p = 0; p < 3; p++) {
				const struct port_ref *want = ports_find(&list, name, protocols[p]);

				ck_assert_ptr_eq(port_finder_find(&finder, name, protocols[p]), want);
				if (finder.sorted) {
					/* From the lower bound, every port of the key, in list order. */
					size_t k = port_finder_lower(&finder, name, protocols[p]), j;

					for (j = 0; j < list.count; j++) {
						if (strcmp(list.items[j].name, name) != 0 ||
						    strcmp(list.items[j].protocol, protocols[p]) != 0)
							continue;
						ck_assert_uint_lt(k, list.count);
						ck_assert_ptr_eq(finder.sorted[k], &list.items[j]);
						k++;
					}
					ck_assert(k == list.count || strcmp(finder.sorted[k]->name, name) != 0 ||
						  strcmp(finder.sorted[k]->protocol, protocols[p]) != 0);
				}
			}
		}
		port_finder_release(&finder);
		ck_assert_ptr_null(finder.sorted);
		port_list_release(&list);
	}
}
END_TEST

/* texts_first_equal() gives each text the first earlier one equal to it, as comparing every pair
 * would, with NULLs taking no part. */
START_TEST(test_texts_first_equal)
{
	const char *texts[300] = { NULL };
	char pool[7][4] = { "a", "b", "ab", "", "a", "ba", "b" };
	size_t first[300], n, i, j;
	unsigned int seed = 7;

	texts_first_equal(texts, 0, first);
	for (n = 1; n <= 300; n += 37) {
		for (i = 0; i < n; i++) {
			seed = seed * 1103515245u + 12345u;
			texts[i] = (seed >> 16) % 8 == 7 ? NULL : pool[(seed >> 16) % 8];
		}
		texts_first_equal(texts, n, first);
		for (i = 0; i < n; i++) {
			size_t want = n;

			for (j = 0; texts[i] && j < i && want == n; j++)
				if (texts[j] && strcmp(texts[j], texts[i]) == 0)
					want = j;
			ck_assert_uint_eq(first[i], want);
		}
	}
}
END_TEST

Suite *ports_suite(void)
{
	Suite *s = suite_create("ports");
	TCase *t = tcase_create("ports");

	tcase_add_test(t, test_defaults_and_describe);
	tcase_add_test(t, test_closest_protocol_first);
	tcase_add_test(t, test_closest_name_unnamed_number);
	tcase_add_test(t, test_closest_prefers_target_number);
	tcase_add_test(t, test_unique);
	tcase_add_test(t, test_port_finder);
	tcase_add_test(t, test_texts_first_equal);
	suite_add_tcase(s, t);
	return s;
}
