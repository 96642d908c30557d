/* test_engine.c: a whole run through the library: order, -j independence, context, counts. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine.h"
#include "report.h"
#include "rule.h"
#include "suites.h"

static struct lint_options default_options(unsigned int jobs)
{
	struct lint_options o;

	memset(&o, 0, sizeof(o));
	o.default_namespace = "default";
	o.kube_minor = KUBE_NEWEST_MINOR;
	o.jobs = jobs;
	return o;
}

/* A run kept for a test to look into: the result borrows the list (its findings name the list's
 * paths), so the result is released first. */
struct kept_run {
	struct lint_result result;
	struct input_list inputs;
};

static void kept_run_release(struct kept_run *run)
{
	lint_result_release(&run->result);
	input_list_release(&run->inputs);
}

/* Lints paths (with the given context paths) and returns the text report, malloc'd; the run itself
 * goes to keep, when given. */
static char *lint_text(const char *const *paths, const char *const *contexts, unsigned int jobs,
		       struct kept_run *keep)
{
	struct lint_options options = default_options(jobs);
	struct input_list inputs = { 0 };
	struct lint_result result;
	struct report_options report = { false, "test" };
	char *error = NULL, *text = NULL;
	size_t size = 0;
	FILE *out;

	for (; paths && *paths; paths++)
		ck_assert_int_eq(source_walk(&inputs, *paths, false, NULL, &error), 0);
	for (; contexts && *contexts; contexts++)
		ck_assert_int_eq(source_walk(&inputs, *contexts, true, NULL, &error), 0);
	source_dedupe(&inputs);
	ck_assert_int_eq(lint_run(&options, &inputs, &result), 0);
	out = open_memstream(&text, &size);
	ck_assert_int_eq(report_text(out, &result, &report), 0);
	fclose(out);
	if (keep) {
		keep->result = result;
		keep->inputs = inputs;
		keep->result.inputs = &keep->inputs;
		return text;
	}
	lint_result_release(&result);
	input_list_release(&inputs);
	return text;
}

static void write_file(const char *folder, const char *name, const char *text)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", folder, name);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(fputs(text, f) >= 0, 1);
	ck_assert_int_eq(fclose(f), 0);
}

static void remove_file(const char *folder, const char *name)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", folder, name);
	ck_assert_int_eq(remove(path), 0);
}

/* The path of a file that left nothing behind is given back after the files are linted, and its input
 * leaves the list (unless the report lists every file); the paths of files with findings, kept objects or svclint comments move,
 * and findings of the index phase still name them. */
START_TEST(test_unneeded_paths_dropped)
{
	static const char *const names[] = { "clean.yaml", "comment.yaml", "endpoints.yaml", "svc.yaml" };
	char folder[] = "/tmp/svclint-test-XXXXXX";
	unsigned int keep_all;
	size_t i;

	ck_assert_ptr_nonnull(mkdtemp(folder));
	write_file(folder, names[0], "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings, namespace: default}\n"
				     "data: {a: b}\n");
	write_file(folder, names[1], "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: other, namespace: default}\n"
				     "# svclint:ignore field-type-mismatch -- quoted upstream\ndata: {a: b}\n");
	write_file(folder, names[2], "apiVersion: v1\nkind: Endpoints\nmetadata: {name: web, namespace: default}\n"
				     "subsets:\n- addresses: [{ip: 10.0.0.1}]\n  ports: [{name: http, port: 80}]\n");
	write_file(folder, names[3], "apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: default}\n"
				     "spec:\n  selector: {app: web}\n  ports: [{name: http, port: 80}]\n");
	for (keep_all = 0; keep_all < 2; keep_all++) {
		struct lint_options options = default_options(1);
		struct input_list inputs = { 0 };
		struct lint_result result;
		const struct diag *d;
		char *error = NULL, expect[512];

		options.keep_input_paths = keep_all;
		ck_assert_int_eq(source_walk(&inputs, folder, false, NULL, &error), 0);
		ck_assert_int_eq(lint_run(&options, &inputs, &result), 0);
		ck_assert_uint_eq(result.files, 4);
		/* clean.yaml leaves the list, unless every file is kept */
		ck_assert_uint_eq(inputs.count, keep_all ? 4 : 3);
		for (i = keep_all ? 0 : 1; i < 4; i++) {
			snprintf(expect, sizeof(expect), "%s/%s", folder, names[i]);
			ck_assert_str_eq(inputs.items[i - !keep_all].path, expect);
		}
		/* comment.yaml: unused-suppression (found after the paths are dropped);
		 * endpoints.yaml: endpoints-deprecated, then endpoints-service-has-selector with a note at
		 * svc.yaml, whose only trace was its kept Service. */
		ck_assert_uint_eq(result.diags.count, 3);
		ck_assert_str_eq(result.diags.items[0]->rule, "unused-suppression");
		snprintf(expect, sizeof(expect), "%s/%s", folder, names[1]);
		ck_assert_str_eq(result.diags.items[0]->file, expect);
		d = result.diags.items[2];
		ck_assert_str_eq(d->rule, "endpoints-service-has-selector");
		snprintf(expect, sizeof(expect), "%s/%s", folder, names[2]);
		ck_assert_str_eq(d->file, expect);
		ck_assert_uint_eq(d->line, 3);
		ck_assert_uint_eq(d->related_count, 1);
		snprintf(expect, sizeof(expect), "%s/%s", folder, names[3]);
		ck_assert_str_eq(d->related[0].file, expect);
		ck_assert_uint_eq(d->related[0].line, 5);
		ck_assert_uint_eq(d->related[0].column, 13);
		lint_result_release(&result);
		input_list_release(&inputs);
	}
	for (i = 0; i < 4; i++)
		remove_file(folder, names[i]);
	ck_assert_int_eq(rmdir(folder), 0);
}
END_TEST

/* Many inputs, their paths over several blocks of the list's arena: a clean file's input leaves the
 * list, an Endpoints file's path moves (endpoints-no-service names it after the move).  In input order the old
 * blocks are freed as the files are linted and their paths passed (under ASan, a block freed too
 * early is a use after free), with one job or with several taking files out of order; in reverse order
 * (ages going down) they are all freed at the end.  All come out the same. */
START_TEST(test_paths_dropped_in_order)
{
	enum { COUNT = 3000 };
	char folder[] = "/tmp/svclint-test-XXXXXX", clean[600], endpoints[600];
	unsigned int round;
	size_t i;

	ck_assert_ptr_nonnull(mkdtemp(folder));
	write_file(folder, "clean.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: s, namespace: default}\n");
	write_file(folder, "ep.yaml", "apiVersion: v1\nkind: Endpoints\nmetadata: {name: db, namespace: default}\n"
				       "subsets:\n- addresses: [{ip: 10.0.0.1}]\n  ports: [{name: sql, port: 5432}]\n");
	snprintf(clean, sizeof(clean), "%s/clean.yaml", folder);
	snprintf(endpoints, sizeof(endpoints), "%s/ep.yaml", folder);
	for (round = 0; round < 4; round++) {
		bool reverse = round >= 2;
		struct lint_options options = default_options(round % 2 ? 3 : 1);
		struct input_list inputs = { 0 };
		struct lint_result result;
		struct arena *paths = input_list_paths(&inputs);
		size_t no_service = 0, deprecated = 0;
		char name[600];

		inputs.items = calloc(COUNT, sizeof(*inputs.items));
		ck_assert_ptr_nonnull(inputs.items);
		inputs.count = inputs.capacity = COUNT;
		for (i = 0; i < COUNT; i++) {
			size_t at = reverse ? COUNT - 1 - i : i;

			/* 100-byte names: 3,000 of them fill five blocks */
			snprintf(name, sizeof(name), "apps/%05zu/%089zu.yaml", at, at);
			input_make(&inputs.items[at], paths, name, at % 3 ? clean : endpoints, NULL);
		}
		ck_assert_uint_ge(paths->total, 4 * 64 * 1024);
		ck_assert_int_eq(lint_run(&options, &inputs, &result), 0);
		/* the clean files leave the list; the others stay, in order */
		ck_assert_uint_eq(inputs.count, COUNT / 3);
		for (i = 0; i < COUNT / 3; i++) {
			snprintf(name, sizeof(name), "apps/%05zu/%089zu.yaml", 3 * i, 3 * i);
			ck_assert_str_eq(inputs.items[i].path, name);
			ck_assert_str_eq(input_read_path(&inputs.items[i]), endpoints);
		}
		for (i = 0; i < result.diags.count; i++) {
			const struct diag *d = result.diags.items[i];
			unsigned long at;

			ck_assert_int_eq(sscanf(d->file, "apps/%5lu/", &at), 1);
			ck_assert_uint_eq(at % 3, 0);
			ck_assert_str_eq(d->file, inputs.items[at / 3].path);
			/* a finding of the file's own names its moved path itself */
			if (strcmp(d->rule, "endpoints-deprecated") == 0)
				ck_assert_ptr_eq(d->file, inputs.items[at / 3].path);
			deprecated += strcmp(d->rule, "endpoints-deprecated") == 0;
			no_service += strcmp(d->rule, "endpoints-no-service") == 0;
		}
		ck_assert_uint_eq(no_service, COUNT / 3);
		ck_assert_uint_eq(deprecated, COUNT / 3);
		lint_result_release(&result);
		input_list_release(&inputs);
	}
	remove_file(folder, "clean.yaml");
	remove_file(folder, "ep.yaml");
	ck_assert_int_eq(rmdir(folder), 0);
}
END_TEST

/* AddressSanitizer replaces malloc, and with it mallopt(), which then sets nothing. */
#if defined(__SANITIZE_ADDRESS__)
#define MALLOC_REPLACED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define MALLOC_REPLACED 1
#endif
#endif

/* On glibc the allocator is tuned (a lost include once dropped the call silently: 4 MiB more peak). */
START_TEST(test_malloc_tuned)
{
#if defined(__GLIBC__) && !defined(MALLOC_REPLACED)
	ck_assert(lint_tune_malloc());
#elif !defined(__GLIBC__)
	ck_assert(!lint_tune_malloc());
#else
	(void)lint_tune_malloc();
#endif
}
END_TEST

/* Blocks by age, a pointer's block, and the oldest blocks freed while the newer stay. */
START_TEST(test_arena_ages)
{
	struct arena a;
	struct arena_ages ages;
	char *first, *second, *third, outside = 0;
	size_t total;

	arena_init(&a);
	first = arena_alloc_bytes(&a, 40 * 1024);
	second = arena_alloc_bytes(&a, 40 * 1024);	/* a block of its own: the first has 24 KiB left */
	third = arena_alloc_bytes(&a, 200 * 1024);	/* larger than a block */
	memset(third, 'x', 200 * 1024);
	arena_ages_init(&ages, &a);
	ck_assert_uint_eq(ages.count, 3);
	ck_assert_int_eq(arena_age_of(&ages, first), 0);
	ck_assert_int_eq(arena_age_of(&ages, first + 40 * 1024 - 1), 0);
	ck_assert_int_eq(arena_age_of(&ages, second), 1);
	ck_assert_int_eq(arena_age_of(&ages, third + 200 * 1024 - 1), 2);
	ck_assert_int_eq(arena_age_of(&ages, &outside), -1);
	arena_ages_release(&ages);
	total = a.total;
	arena_free_oldest(&a, 2);
	ck_assert_uint_eq(a.total, total - 2 * 64 * 1024);
	ck_assert_int_eq(third[200 * 1024 - 1], 'x');	/* the newest stays (ASan would tell) */
	arena_ages_init(&ages, &a);
	ck_assert_uint_eq(ages.count, 1);
	ck_assert_int_eq(arena_age_of(&ages, third), 0);
	arena_ages_release(&ages);
	arena_free_oldest(&a, 5);			/* more than it has: all of them */
	ck_assert_uint_eq(a.total, 0);
	ck_assert_ptr_null(a.head);
	first = arena_alloc_bytes(&a, 10);		/* and it still works */
	ck_assert_ptr_nonnull(first);
	arena_release(&a);
}
END_TEST

/* The blocks older than a pointer's are freed, and the caller learns that block's bytes. */
START_TEST(test_arena_free_before)
{
	struct arena a;
	char *first, *second, *third, outside = 0;
	const void *start, *end;
	size_t total;

	arena_init(&a);
	first = arena_alloc_bytes(&a, 40 * 1024);
	second = arena_alloc_bytes(&a, 40 * 1024);
	third = arena_alloc_bytes(&a, 40 * 1024);
	memset(second, 'y', 40 * 1024);
	memset(third, 'x', 40 * 1024);
	total = a.total;
	arena_free_before(&a, first + 10, &start, &end);	/* the oldest: nothing to free */
	ck_assert_uint_eq(a.total, total);
	ck_assert_ptr_eq(start, first);
	ck_assert_uint_eq((size_t)((const char *)end - (const char *)start), 64 * 1024);
	arena_free_before(&a, &outside, &start, &end);		/* in no block: nothing */
	ck_assert_uint_eq(a.total, total);
	ck_assert_ptr_null(start);
	ck_assert_ptr_null(end);
	arena_free_before(&a, second + 40 * 1024 - 1, &start, &end);
	ck_assert_uint_eq(a.total, total - 64 * 1024);
	ck_assert_ptr_eq(start, second);
	ck_assert_int_eq(second[0], 'y');			/* it and the newer stay (ASan would tell) */
	arena_free_before(&a, third, &start, &end);		/* the head */
	ck_assert_uint_eq(a.total, 64 * 1024);
	ck_assert_int_eq(third[40 * 1024 - 1], 'x');
	ck_assert_ptr_nonnull(arena_alloc_bytes(&a, 100));	/* and it still works */
	arena_release(&a);
}
END_TEST

/* An input keeps what it needs besides its path after the path's NUL: another path to open, or a
 * problem found while walking; an input with neither opens its own path. */
START_TEST(test_input_after_path)
{
	struct arena paths;
	struct input in, again;

	arena_init(&paths);
	input_make(&in, &paths, "apps/svc.yaml", "apps/svc.yaml", NULL);
	ck_assert_str_eq(in.path, "apps/svc.yaml");
	ck_assert_ptr_eq(input_read_path(&in), in.path);
	ck_assert_ptr_null(input_error(&in));
	input_make(&in, &paths, "x.yaml", "/proc/self/fd/3", NULL);
	ck_assert_str_eq(in.path, "x.yaml");
	ck_assert_str_eq(input_read_path(&in), "/proc/self/fd/3");
	ck_assert_ptr_null(input_error(&in));
	input_make(&in, &paths, "-", NULL, NULL);
	ck_assert_ptr_null(input_read_path(&in));
	ck_assert(in.from_stdin);
	input_make(&in, &paths, "", "ignored", "cannot read folder: Permission denied");
	ck_assert_str_eq(in.path, "");
	ck_assert_str_eq(input_error(&in), "cannot read folder: Permission denied");
	ck_assert(!in.from_stdin && !in.read_elsewhere);
	/* A copy of the input (as lists make) finds the same. */
	again = in;
	ck_assert_str_eq(input_error(&again), "cannot read folder: Permission denied");
	ck_assert_uint_eq(sizeof(struct input), 16);
	arena_release(&paths);
}
END_TEST

START_TEST(test_jobs_do_not_change_output)
{
	const char *paths[] = { "fixtures", "examples", NULL };
	char *one = lint_text(paths, NULL, 1, NULL);
	char *eight = lint_text(paths, NULL, 8, NULL);

	ck_assert_uint_gt(strlen(one), 1000);
	ck_assert_str_eq(one, eight);
	free(one);
	free(eight);
}
END_TEST

static void feed_input(void *context, struct input *in, const struct input_identity *identity)
{
	(void)identity;
	lint_feed_add(context, in);
}

/* What walk_fixtures() walks, and the list the feed fills (which holds the paths). */
struct fed_fixtures {
	const char *path;
	struct input_list *inputs;
};

static void walk_fixtures(void *data, struct lint_feed *feed)
{
	const struct fed_fixtures *f = data;
	struct input_list through = { 0 };
	char *error = NULL;

	through.take = feed_input;
	through.take_context = feed;
	through.paths = input_list_paths(f->inputs);
	ck_assert_int_eq(source_walk(&through, f->path, false, NULL, &error), 0);
	ck_assert_uint_eq(through.count, 0);
}

/* Linting while the walk goes on gives what walking first gives, for any number of jobs. */
START_TEST(test_fed_run_matches_walk_first)
{
	const char *paths[] = { "fixtures", NULL };
	char *walked_first = lint_text(paths, NULL, 1, NULL);
	unsigned int jobs[] = { 1, 2, 8 };
	size_t j;

	for (j = 0; j < sizeof(jobs) / sizeof(jobs[0]); j++) {
		struct lint_options options = default_options(jobs[j]);
		struct input_list inputs = { 0 };
		struct lint_result result;
		struct report_options report = { false, "test" };
		char *text = NULL;
		size_t size = 0;
		FILE *out;
		struct fed_fixtures fixtures = { "fixtures", &inputs };

		ck_assert_int_eq(lint_run_fed(&options, &inputs, walk_fixtures, &fixtures, &result), 0);
		ck_assert_uint_gt(inputs.count, 100);
		out = open_memstream(&text, &size);
		ck_assert_int_eq(report_text(out, &result, &report), 0);
		fclose(out);
		ck_assert_str_eq(text, walked_first);
		free(text);
		lint_result_release(&result);
		input_list_release(&inputs);
	}
	free(walked_first);
}
END_TEST

START_TEST(test_sorted_output)
{
	const char *paths[] = { "fixtures", NULL };
	struct kept_run run;
	char *text = lint_text(paths, NULL, 2, &run);
	const struct lint_result *r = &run.result;
	size_t i;

	for (i = 1; i < r->diags.count; i++) {
		const struct diag *a = r->diags.items[i - 1], *b = r->diags.items[i];
		int c = strcmp(a->file, b->file);

		if (c == 0)
			c = a->line != b->line ? (a->line < b->line ? -1 : 1) : 0;
		if (c == 0)
			c = a->column != b->column ? (a->column < b->column ? -1 : 1) : 0;
		if (c == 0)
			c = strcmp(a->rule, b->rule);
		ck_assert_int_le(c, 0);
	}
	kept_run_release(&run);
	free(text);
}
END_TEST

START_TEST(test_context_reports_nothing_but_resolves)
{
	/* The Service is only context: the Endpoints pairs with it, and nothing is said about the Service. */
	const char *paths[] = { "fixtures/service-selectorless-no-backends/good-split-files/endpoints.yaml", NULL };
	const char *contexts[] = { "fixtures/service-selectorless-no-backends/good-split-files", NULL };
	struct kept_run run;
	char *text = lint_text(paths, contexts, 1, &run);

	ck_assert_uint_eq(run.result.files, 1);
	ck_assert_uint_eq(run.result.objects, 1);
	ck_assert_str_eq(text, "fixtures/service-selectorless-no-backends/good-split-files/endpoints.yaml:2:7: "
		"info: v1 Endpoints is deprecated since Kubernetes 1.33 (every apply warns) and kube-proxy reads only "
		"EndpointSlices mirrored from it; write a discovery.k8s.io/v1 EndpointSlice labelled "
		"kubernetes.io/service-name: postgres instead [endpoints-deprecated]\n");
	kept_run_release(&run);
	free(text);
}
END_TEST

START_TEST(test_without_context_the_pair_breaks)
{
	const char *paths[] = { "fixtures/service-selectorless-no-backends/good-split-files/endpoints.yaml", NULL };
	char *text = lint_text(paths, NULL, 1, NULL);

	ck_assert_ptr_nonnull(strstr(text, "[endpoints-no-service]"));
	free(text);
}
END_TEST

START_TEST(test_counts)
{
	const char *paths[] = { "examples/etcd-prom.yaml", NULL };
	struct kept_run run;
	char *text = lint_text(paths, NULL, 1, &run);

	ck_assert_uint_eq(run.result.files, 1);
	ck_assert_uint_eq(run.result.documents, 2);
	ck_assert_uint_eq(run.result.objects, 2);
	ck_assert_uint_eq(run.result.counts[SEVERITY_ERROR], 0);
	ck_assert_uint_eq(run.result.counts[SEVERITY_WARNING], 0);
	kept_run_release(&run);
	free(text);
}
END_TEST

START_TEST(test_sanitized_output)
{
	char *text = NULL;
	size_t size = 0;
	FILE *out = open_memstream(&text, &size);

	write_sanitized(out, "a\033[31mb\n\x7f\xc3\xa9\xff");
	fclose(out);
	ck_assert_str_eq(text, "a\\x1B[31mb\\x0A\\x7F\xc3\xa9\\xFF");
	free(text);
	out = open_memstream(&text, &size);
	write_sanitized(out, "evil\xe2\x80\xaegpj.yaml \xe2\x81\xa6x");
	fclose(out);
	ck_assert_str_eq(text, "evil\\u202Egpj.yaml \\u2066x");
	free(text);
	out = open_memstream(&text, &size);
	write_json_string(out, "q\"\\\n\x01\xff\xc2\x9b");
	fclose(out);
	ck_assert_str_eq(text, "q\\\"\\\\\\n\\u0001\\ufffd\\u009b");
	free(text);
}
END_TEST

Suite *engine_suite(void)
{
	Suite *s = suite_create("engine");
	TCase *t = tcase_create("run");

	tcase_set_timeout(t, 60);
	tcase_add_test(t, test_jobs_do_not_change_output);
	tcase_add_test(t, test_fed_run_matches_walk_first);
	tcase_add_test(t, test_sorted_output);
	tcase_add_test(t, test_context_reports_nothing_but_resolves);
	tcase_add_test(t, test_without_context_the_pair_breaks);
	tcase_add_test(t, test_counts);
	tcase_add_test(t, test_sanitized_output);
	tcase_add_test(t, test_input_after_path);
	tcase_add_test(t, test_unneeded_paths_dropped);
	tcase_add_test(t, test_paths_dropped_in_order);
	tcase_add_test(t, test_arena_ages);
	tcase_add_test(t, test_arena_free_before);
	tcase_add_test(t, test_malloc_tuned);
	suite_add_tcase(s, t);
	return s;
}
