/* engine.c: the lint pipeline.  Files are parsed by worker threads; everything after is ordered. */
#include "engine.h"

#include <pthread.h>
#include <stdio.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "baseline.h"
#include "config.h"
#include "k8s.h"
#include "monitor.h"
#include "regex.h"
#include "rule.h"
#include "suppress.h"

/* Slots of a worker's node cache (doc.h): 2^16 slots of 16 bytes, 1 MiB.  On the 20,000-app
 * benchmark 60% of node copies are found there with one job; 2^18 slots find 66%, but take 3 MiB
 * more to keep 1.8 MB less.  With many jobs each worker's cache is smaller, so that all of them
 * together stay within 4 MiB (and each has at least 2^12 slots). */
#define NODE_CACHE_BITS 16
#define NODE_CACHE_MIN_BITS 12
#define NODE_CACHE_BUDGET_BITS 18

static unsigned int node_cache_bits(unsigned int jobs)
{
	unsigned int bits = NODE_CACHE_BITS;

	while (bits > NODE_CACHE_MIN_BITS && ((size_t)jobs << bits) > ((size_t)1 << NODE_CACHE_BUDGET_BITS))
		bits--;
	return bits;
}

/* What one file leaves behind once its tree is gone: one per input, so 12 bytes.  Its findings and
 * kept objects are in its worker's arrays, after those of the worker's earlier files: a worker takes
 * its files in input order, so finish() finds each file's by counting.  Its documents and objects
 * are counted by the worker, its suppressions listed there (most files have none). */
struct file_result {
	unsigned int diag_count;
	unsigned int kept_count;
	unsigned short worker;	/* which worker linted it (at most 64) */
	bool listed;		/* its svclint comments are in its worker's lists */
	bool linted;		/* several jobs: its result is in (the feed's lock guards it) */
};

struct worker {
	struct run *run;
	struct arena keep;	/* objects the index needs, for the whole run */
	struct string_pool strings;	/* their texts, in keep */
	struct node_cache nodes;	/* their equal nodes, stored once (doc.h) */
	struct object_types types;	/* their apiVersions and kinds, stored once (object.h) */
	/* The copies, in the order of its files (a file_result says how many are its own): malloc'd, so
	 * that it is freed once the index has gathered them, before the peak of the run. */
	struct object **kept;
	size_t kept_count, kept_capacity;
	/* The findings of its files, in the order of its files as kept is (they live in diags). */
	struct diag **findings;
	size_t finding_count, finding_capacity;
	unsigned int id;	/* its place in the run's workers */
	struct arena scratch;	/* one file's text tree, rewound after each file */
	struct regex_scratch *regex;
	struct suppression_list suppressions;	/* of the file being linted */
	struct arena *diags;	/* the findings of its files: in run.diag_arenas, handed to the result */
	struct diag_list found;	/* the findings of the file being linted (items reused file after file) */
	size_t documents, objects;	/* of the files it linted for reporting (not --context ones) */
	struct suppression_list *lists;	/* the svclint comments and annotations of its files that have any */
	size_t list_count, list_capacity;
	pthread_t thread;
};

struct run {
	const struct lint_options *options;
	struct input_list *inputs;
	struct file_result *results;	/* inputs->items[i]'s is results[i] (lint_in_order() drops both) */
	struct lint_feed *feed;	/* where several jobs take their inputs (lint_fed()), else NULL */
	char today[11];		/* YYYY-MM-DD, for until= of suppressions */
	char *stdin_text;	/* standard input's bytes, kept for snippets (keep_stdin) */
	size_t stdin_length;
	/* One per worker, where findings live: findings point at theirs (notes are added to them
	 * later), so the array moves whole to the result, never copied. */
	struct arena *diag_arenas;
	/* Per object kind, the enabled rules with a check_object for it, in rule order; and the enabled
	 * rules with a check_file (a file does not look at every rule's table entry). */
	struct rule_call *object_rules[KIND_COUNT];
	size_t object_rule_count[KIND_COUNT];
	struct rule_call *file_rules;
	size_t file_rule_count;
	/* The paths of inputs before passed are dealt with while the run goes on (pass_paths()), when
	 * passing is set: given back, or moved to paths.  Unless paths_in_order, the old ones are
	 * freed at the end; else each block is freed once passed (block_start and block_end are the
	 * bytes of the block of the last path passed). */
	bool passing;
	bool paths_in_order;
	size_t passed;
	size_t files_dropped;	/* inputs for reporting that left the list before finish() */
	struct arena *paths;
	const void *block_start, *block_end;
};

/*
 * A rule as the workers call it, with what they read of it on every file and object gathered in one
 * small array: the rules' own entries lie one in each rule's object file, and reading the severity
 * and the function there for each rule and object cost L1 misses (reading them here instead took
 * 13% off the L1 data misses callgrind counts at 2,000 apps).
 */
struct rule_call {
	const struct rule *rule;
	void (*check_object)(struct rule_ctx *ctx, const struct object *object);
	void (*check_file)(struct rule_ctx *ctx, const struct lint_file *file);
	enum severity severity;		/* after the options' overrides */
};

static bool rule_on(const struct lint_options *options, size_t i)
{
	return options->rule_enabled ? options->rule_enabled[i] : true;
}

static enum severity rule_severity(const struct lint_options *options, size_t i)
{
	return options->rule_severity && options->rule_severity[i] != SEVERITY_NONE ? options->rule_severity[i]
										      : rule_table[i]->severity;
}

static struct rule_call rule_call(const struct lint_options *options, size_t i)
{
	struct rule_call c;

	c.rule = rule_table[i];
	c.check_object = rule_table[i]->check_object;
	c.check_file = rule_table[i]->check_file;
	c.severity = rule_severity(options, i);
	return c;
}

static void context_init(struct rule_ctx *ctx, const struct lint_options *options, const struct rule_call *call,
			 struct diag_list *out, struct arena *arena, struct regex_scratch *regex)
{
	ctx->rule = call->rule;
	ctx->severity = call->severity;
	ctx->options = options;
	ctx->out = out;
	ctx->arena = arena;
	ctx->regex = regex;
	ctx->monitors = NULL;
	ctx->limit = 0;
	ctx->memo = NULL;
}

static void run_file_rules(struct worker *w, const struct lint_file *file)
{
	size_t r;

	for (r = 0; r < w->run->file_rule_count; r++) {
		const struct rule_call *call = &w->run->file_rules[r];
		struct rule_ctx ctx;

		context_init(&ctx, w->run->options, call, &w->found, &w->scratch, w->regex);
		ctx.limit = RULE_FILE_LIMIT;
		call->check_file(&ctx, file);
	}
}

static void run_object_rules(struct worker *w, const struct object *object)
{
	struct object_memo memo;
	const struct rule_call *calls = w->run->object_rules[object->kind];
	size_t n = w->run->object_rule_count[object->kind], r;

	memset(&memo, 0, sizeof(memo));
	for (r = 0; r < n; r++) {
		struct rule_ctx ctx;

		context_init(&ctx, w->run->options, &calls[r], &w->found, &w->scratch, w->regex);
		ctx.limit = RULE_FILE_LIMIT;
		ctx.memo = &memo;
		calls[r].check_object(&ctx, object);
	}
}

/* An object of a kind svclint does not model, and where it stands in its file. */
struct other {
	const struct object *object;
	size_t at;
};

/* Orders objects by what makes two of them the same object to duplicate-object. */
static int compare_identity(const void *pa, const void *pb)
{
	const struct object *a = ((const struct other *)pa)->object, *b = ((const struct other *)pb)->object;
	int c = strcmp(a->name, b->name);

	if (!c)
		c = strcmp(a->namespace, b->namespace);
	if (!c)
		c = strcmp(a->type->kind_name, b->type->kind_name);
	if (!c)
		c = strcmp(a->type->group, b->type->group);
	return c;
}

/*
 * Which objects of kinds svclint does not model the index needs.  Only two things read them:
 * duplicate-object, which without configured scopes compares the objects of one file, and the
 * ServiceMonitor rules, which ask whether a PrometheusAgent exists.  So outside scopes such an object
 * is kept only when it is a PrometheusAgent or another object of this file has its identity: most of a
 * large repository's objects (Deployments, ConfigMaps) are not kept at all.  Sets keep[i] for each
 * of objects[0..count).
 */
static void choose_kept(struct object *const *objects, size_t count, unsigned int scope, bool *keep)
{
	struct other *other = xmalloc((count + 1) * sizeof(*other));
	size_t n = 0, i;

	for (i = 0; i < count; i++) {
		const struct object *o = objects[i];

		keep[i] = o->kind != KIND_OTHER || scope != 0 || object_is_prometheus_agent(o);
		if (!keep[i] && o->name[0]) {
			other[n].object = o;
			other[n++].at = i;
		}
	}
	if (n > 1) {
		qsort(other, n, sizeof(*other), compare_identity);
		for (i = 0; i + 1 < n; i++)
			if (compare_identity(&other[i], &other[i + 1]) == 0)
				keep[other[i].at] = keep[other[i + 1].at] = true;
	}
	free(other);
}

static bool text_is(const char *text, size_t len, const char *word)
{
	return strlen(word) == len && memcmp(text, word, len) == 0;
}

/*
 * Whether a document of this kind may be skimmed (doc_parse_skimming): no rule reads more of it than
 * apiVersion, kind and metadata (object_kind_is_skimmable()), and no naming policy of the
 * configuration reads a field of it outside metadata.
 */
static bool may_skim(const void *data, const char *kind, size_t len)
{
	const struct config *c = data;
	size_t i;

	if (!object_kind_is_skimmable(kind, len))
		return false;
	for (i = 0; c && i < c->naming_count; i++) {
		const struct naming_policy *p = &c->naming[i];
		const char *first = p->step_count ? p->steps[0].key : "";

		if ((strcmp(p->kind, "*") == 0 || text_is(kind, len, p->kind)) && strcmp(first, "apiVersion") != 0 &&
		    strcmp(first, "kind") != 0 && strcmp(first, "metadata") != 0)
			return false;
	}
	return true;
}

/* Frees a file's text, unless it is standard input and the reporter will show lines of it. */
static void release_text(struct worker *w, const struct input *in, char *data, size_t len)
{
	if (w->run->options->keep_stdin && in->from_stdin && !in->in_context) {
		free(w->run->stdin_text);
		w->run->stdin_text = data;
		w->run->stdin_length = len;
		return;
	}
	free(data);
}

static void lint_input(struct worker *w, const struct input *in, struct file_result *res)
{
	struct lint_file file;
	struct arena_mark mark = arena_mark(&w->scratch);
	char *data = NULL, *error = NULL;
	size_t len = 0, i;
	struct doc_set docs;
	struct object_list objects = { 0 };
	struct collect_options collect;
	const struct lint_options *options = w->run->options;
	bool *keep;
	struct doc_skim skim;
	size_t kept, kept_at;

	memset(&file, 0, sizeof(file));
	file.path = in->path;
	file.in_context = in->in_context;
	if (in->has_error) {
		file.io_error = input_error(in);
		run_file_rules(w, &file);
		return;
	}
	if (source_read(in, &data, &len, &error) != 0) {
		file.io_error = arena_strdup(&w->scratch, error);
		free(error);
		run_file_rules(w, &file);
		arena_rewind(&w->scratch, mark);
		return;
	}
	file.text = data;
	file.length = len;
	/* Comments exist only in the text, which is freed below: read them now (context reports nothing). */
	if (!in->in_context) {
		suppress_scan(&w->suppressions, data, len, w->run->today);
		file.suppressions = &w->suppressions;
	}
	file.skip_reason = source_helm_reason(in->path, data, len);
	if (file.skip_reason) {
		run_file_rules(w, &file);
		release_text(w, in, data, len);
		return;
	}
	skim.may_skim = may_skim;
	skim.data = options->config;
	doc_parse_skimming(&docs, &w->scratch, data, len, &doc_default_limits, &skim);
	file.docs = &docs;
	if (!in->in_context)
		w->documents += docs.count;
	run_file_rules(w, &file);

	collect.default_namespace = options->default_namespace;
	collect.file = in->path;
	collect.scope = options->config ? config_scope(options->config, in->path) : 0;
	collect.in_context = in->in_context;
	object_collect(&objects, &w->scratch, docs.documents, docs.count, &collect);
	if (!in->in_context)
		w->objects += objects.count;
	keep = xmalloc((objects.count + 1) * sizeof(*keep));
	choose_kept(objects.items, objects.count, collect.scope, keep);
	for (i = 0, kept = 0; i < objects.count; i++)
		kept += keep[i];
	GROW(w->kept, w->kept_capacity, w->kept_count + kept);
	kept_at = w->kept_count;
	for (i = 0; i < objects.count; i++) {
		k8s_learn(objects.items[i]);
		run_object_rules(w, objects.items[i]);
		if (!in->in_context)
			suppress_add_annotation(&w->suppressions, objects.items[i]);
		if (keep[i])
			w->kept[w->kept_count++] = object_keep(&w->strings, &w->nodes, &w->types, objects.items[i]);
	}
	res->kept_count = (unsigned int)(w->kept_count - kept_at);
	free(keep);
	object_list_release(&objects);
	free(docs.documents);
	free(docs.problems);
	release_text(w, in, data, len);
	arena_rewind(&w->scratch, mark);
}

static void lint_one(struct worker *w, const struct input *in, struct file_result *res)
{
	/* The file's findings name its path without a copy (diag.borrows_file); finish() points them at
	 * the path's new place. */
	w->found.borrowed_file = in->path;
	lint_input(w, in, res);
	w->found.borrowed_file = NULL;
	res->worker = (unsigned short)w->id;
	if (w->found.count) {
		GROW(w->findings, w->finding_capacity, w->finding_count + w->found.count);
		memcpy(w->findings + w->finding_count, w->found.items, w->found.count * sizeof(*w->findings));
		w->finding_count += w->found.count;
		res->diag_count = (unsigned int)w->found.count;
		w->found.count = 0;
	}
	/* Most files have no svclint comment: only those that do keep a list. */
	if (w->suppressions.count) {
		res->listed = true;
		GROW(w->lists, w->list_capacity, w->list_count + 1);
		w->lists[w->list_count] = w->suppressions;
		w->lists[w->list_count].file = xstrdup(in->path);
		w->list_count++;
		memset(&w->suppressions, 0, sizeof(w->suppressions));
	} else {
		suppression_list_release(&w->suppressions);
	}
}

/*
 * Whether the inputs' paths were allocated in input order in the list's arena, so that once an input
 * is passed, every block of the arena older than its path's is passed too.  A walk makes them so.
 */
static bool paths_in_order(const struct input_list *inputs)
{
	struct arena_ages blocks;
	long last = -1;
	bool ordered = true;
	size_t i;

	if (!inputs->paths)
		return false;
	arena_ages_init(&blocks, inputs->paths);
	for (i = 0; i < inputs->count && ordered; i++) {
		long age = inputs->items[i].path ? arena_age_of(&blocks, inputs->items[i].path) : -1;

		if (age < 0)
			continue;
		ordered = age >= last;
		last = age;
	}
	arena_ages_release(&blocks);
	return ordered;
}

/*
 * Deals with the path of a linted input, in input order.  A file that left nothing behind (no
 * finding, no kept object, no svclint comment) gives its path back: nothing reads it again but a
 * report that lists every file (options->keep_input_paths, which passes nothing); on a large
 * repository that is about half the paths.  The others move to run->paths.  When the paths were
 * allocated in input order (run->paths_in_order), each block of the old arena is freed as soon as
 * every path in it is passed, so that the old and the new paths are never all held at once: called
 * as files are linted, this holds only the paths still needed, and those of the files in flight.
 *
 * The kept objects and the findings of a moved path's file still name the old path, which may be
 * freed: nothing reads them before finish(), which points them at the new one.  So this touches
 * only the list and its arenas, never what a worker holds.
 */
static void pass_path(struct run *run, struct input *in, const struct file_result *res)
{
	struct arena *old = run->inputs->paths;
	size_t size;
	char *moved;

	if (!in->path)
		return;
	if (!run->paths) {
		run->paths = xmalloc(sizeof(*run->paths));
		arena_init(run->paths);
	}
	/* Compared as integers: blocks are separate objects, which C's < does not order. */
	if (run->paths_in_order && ((uintptr_t)in->path < (uintptr_t)run->block_start ||
				    (uintptr_t)in->path >= (uintptr_t)run->block_end))
		/* Every input before this one is passed, and with it every older block. */
		arena_free_before(old, in->path, &run->block_start, &run->block_end);
	if (!res->diag_count && !res->kept_count && !res->listed) {
		in->path = NULL;
		return;
	}
	/* What follows the path's NUL (input_read_path(), input_error()) moves with it. */
	size = strlen(in->path) + 1;
	if (in->read_elsewhere || in->has_error)
		size += strlen(in->path + size) + 1;
	moved = arena_alloc_bytes(run->paths, size);
	memcpy(moved, in->path, size);
	in->path = moved;
}

/* pass_path() for each of inputs [run->passed, upto), all linted. */
static void pass_paths(struct run *run, const struct file_result *results, size_t upto)
{
	size_t i;

	for (i = run->passed; i < upto; i++)
		pass_path(run, &run->inputs->items[i], &results[i]);
	run->passed = upto;
}

/* How many more linted inputs wake the thread that passes their paths once the walk is done. */
#define PASS_BATCH 64

/*
 * Inputs for several jobs: those a walk hands over while it goes on, or a whole list.  The walk
 * appends under the lock and signals; a worker takes the next index under the lock, copies the input
 * (the array moves as it grows; the path it points to stays until its input is passed), lints it
 * unlocked, and stores its result under the lock again.  The run's own thread (the walk's), and only
 * it, passes the paths of the inputs linted so far (pass_paths()), under the lock: while walking, as
 * it hands an input over; then as workers signal that more are linted.  So the inputs' arena is only
 * ever touched on that thread, and a worker never reads what is passed.
 */
struct lint_feed {
	pthread_mutex_t lock;
	pthread_cond_t more;
	pthread_cond_t linted_more;	/* linted moved PASS_BATCH past run->passed, or to the end */
	struct run *run;
	struct input_list *inputs;
	struct file_result *results;	/* grown with inputs; run.results once the walk is done */
	size_t results_capacity;
	size_t next;
	size_t linted;		/* the inputs before it are linted */
	bool done;
};

void lint_feed_add(struct lint_feed *feed, const struct input *in)
{
	struct input_list *list = feed->inputs;

	pthread_mutex_lock(&feed->lock);
	GROW(list->items, list->capacity, list->count + 1);
	list->items[list->count++] = *in;
	/* Only the slot that is used is written: pages of capacity never used stay untouched. */
	GROW(feed->results, feed->results_capacity, list->count);
	memset(&feed->results[list->count - 1], 0, sizeof(*feed->results));
	pthread_cond_signal(&feed->more);
	if (feed->run->passing && feed->linted > feed->run->passed)
		pass_paths(feed->run, feed->results, feed->linted);
	pthread_mutex_unlock(&feed->lock);
}

static void *work_fed(void *arg)
{
	struct worker *w = arg;
	struct lint_feed *feed = w->run->feed;

	for (;;) {
		struct input in;
		struct file_result res;
		size_t i;

		pthread_mutex_lock(&feed->lock);
		while (feed->next >= feed->inputs->count && !feed->done)
			pthread_cond_wait(&feed->more, &feed->lock);
		if (feed->next >= feed->inputs->count) {
			pthread_mutex_unlock(&feed->lock);
			break;
		}
		i = feed->next++;
		in = feed->inputs->items[i];
		pthread_mutex_unlock(&feed->lock);
		memset(&res, 0, sizeof(res));
		lint_one(w, &in, &res);
		res.linted = true;
		pthread_mutex_lock(&feed->lock);
		feed->results[i] = res;
		while (feed->linted < feed->inputs->count && feed->results[feed->linted].linted)
			feed->linted++;
		if (feed->done && (feed->linted == feed->inputs->count || feed->linted - w->run->passed >= PASS_BATCH))
			pthread_cond_signal(&feed->linted_more);
		pthread_mutex_unlock(&feed->lock);
	}
	return NULL;
}

/*
 * One job: the files in order on this thread, each one's path passed as soon as it is linted.  Then
 * the inputs that left nothing leave the list at once, and only the others have a result: the list's
 * front holds them, as drop_unneeded_inputs() would leave it, while the files behind are linted.
 */
static void lint_in_order(struct worker *w)
{
	struct run *run = w->run;
	struct input_list *inputs = run->inputs;
	size_t count = inputs->count, capacity = 0, n = 0, i;

	if (!run->passing) {
		run->results = xcalloc(count + 1, sizeof(*run->results));
		for (i = 0; i < count; i++)
			lint_one(w, &inputs->items[i], &run->results[i]);
		return;
	}
	for (i = 0; i < count; i++) {
		struct input *in = &inputs->items[i];
		struct file_result res;

		memset(&res, 0, sizeof(res));
		lint_one(w, in, &res);
		pass_path(run, in, &res);
		if (!in->path) {
			run->files_dropped += !in->in_context;
			continue;
		}
		GROW(run->results, capacity, n + 1);
		run->results[n] = res;
		inputs->items[n++] = *in;
	}
	inputs->count = n;
	run->passed = n;
}

static unsigned int job_count(const struct lint_options *options, size_t files)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	unsigned int jobs = options->jobs ? options->jobs : (cpus > 0 ? (unsigned int)cpus : 1);

	if (jobs > 64)
		jobs = 64;
	if (jobs > files)
		jobs = files ? (unsigned int)files : 1;
	return jobs;
}

/* Index rules are independent readers of the index: workers take rules in turn, each into its own
 * list, and the lists are joined in rule order, so the result does not depend on the job count. */
struct index_run {
	const struct lint_options *options;
	const struct index *index;
	const struct monitor_context *monitors;
	struct diag_list *lists;	/* one per rule */
	atomic_size_t next;
};

static void *index_work(void *arg)
{
	struct index_run *run = arg;
	struct arena scratch;
	struct arena_mark start;
	struct regex_scratch *regex = regex_scratch_new();

	arena_init(&scratch);
	start = arena_mark(&scratch);
	for (;;) {
		size_t i = atomic_fetch_add(&run->next, 1);
		struct rule_call call;
		struct rule_ctx ctx;

		if (i >= rule_count)
			break;
		if (!rule_table[i]->check_index || !rule_on(run->options, i))
			continue;
		call = rule_call(run->options, i);
		context_init(&ctx, run->options, &call, &run->lists[i], &scratch, regex);
		ctx.monitors = run->monitors;
		rule_table[i]->check_index(&ctx, run->index);
		/* What one rule built for itself is not the next one's. */
		arena_rewind(&scratch, start);
	}
	arena_release(&scratch);
	regex_scratch_free(regex);
	return NULL;
}

/*
 * Runs the index rules on jobs threads, one rule at a time each; their findings go to out.  Rule i's
 * findings live in arenas[i] (one thread makes them) and keep their messages as format and arguments,
 * as the workers' do, until the index and the kept objects are gone: the index rules run at the
 * run's peak of memory.  Their files are the kept objects' paths, which outlive them: not copied.
 */
static void run_index_rules(const struct lint_options *options, const struct index *index, unsigned int jobs,
			    struct arena *arenas, struct diag_list *out)
{
	struct arena shared;
	struct monitor_context monitors;
	struct index_run run;
	pthread_t threads[64];
	unsigned int started = 0, j;
	size_t i;

	arena_init(&shared);
	/* Derived tables several rules read, built once. */
	monitor_context_init(&monitors, &shared, index);
	run.options = options;
	run.index = index;
	run.monitors = &monitors;
	run.lists = xcalloc(rule_count + 1, sizeof(*run.lists));
	for (i = 0; i < rule_count; i++) {
		run.lists[i].arena = &arenas[i];
		run.lists[i].defer = true;
		run.lists[i].files_stay = true;
	}
	atomic_init(&run.next, 0);
	for (j = 1; j < jobs && j < 64; j++) {
		if (pthread_create(&threads[started], NULL, index_work, &run) != 0)
			break;
		started++;
	}
	index_work(&run);
	for (j = 0; j < started; j++)
		pthread_join(threads[j], NULL);
	for (i = 0; i < rule_count; i++)
		diag_list_move(out, &run.lists[i]);
	free(run.lists);
	monitor_context_release(&monitors);
	arena_release(&shared);
}

static int compare_lists(const void *a, const void *b)
{
	return strcmp(((const struct suppression_list *)a)->file, ((const struct suppression_list *)b)->file);
}

/* Applies every file's suppressions to the findings of the whole run, and reports unused ones; takes
 * the workers' lists.  They are sorted by file, as suppress_apply() wants: which worker linted a
 * file makes no difference. */
static void apply_suppressions(const struct lint_options *options, struct worker *workers, unsigned int jobs,
			       struct diag_list *diags)
{
	struct suppression_list *lists = NULL;
	size_t count = 0, cap = 0, i;
	unsigned int j;

	for (j = 0; j < jobs; j++) {
		if (workers[j].list_count) {
			GROW(lists, cap, count + workers[j].list_count);
			memcpy(lists + count, workers[j].lists, workers[j].list_count * sizeof(*lists));
			count += workers[j].list_count;
		}
		free(workers[j].lists);
		workers[j].lists = NULL;
		workers[j].list_count = workers[j].list_capacity = 0;
	}
	if (count > 1)
		qsort(lists, count, sizeof(*lists), compare_lists);
	suppress_apply(lists, count, diags, options);
	for (i = 0; i < count; i++)
		suppression_list_release(&lists[i]);
	free(lists);
}

/* Today's date as YYYY-MM-DD in local time: a suppression is good through its until= day. */
static void today(char *buf, size_t size)
{
	time_t now = time(NULL);
	struct tm tm;

	if (!localtime_r(&now, &tm) || strftime(buf, size, "%Y-%m-%d", &tm) == 0)
		snprintf(buf, size, "%s", "0000-00-00");
}

static void run_init(struct run *run, const struct lint_options *options, struct input_list *inputs,
		     struct worker *workers, unsigned int jobs)
{
	unsigned int j, k;
	size_t i;

	run->options = options;
	run->inputs = inputs;
	run->results = NULL;
	run->feed = NULL;
	run->stdin_text = NULL;
	run->stdin_length = 0;
	run->passing = false;
	run->paths_in_order = false;
	run->passed = 0;
	run->files_dropped = 0;
	run->paths = NULL;
	run->block_start = run->block_end = NULL;
	today(run->today, sizeof(run->today));
	for (k = 0; k < KIND_COUNT; k++) {
		run->object_rules[k] = xmalloc((rule_count + 1) * sizeof(*run->object_rules[k]));
		run->object_rule_count[k] = 0;
		for (i = 0; i < rule_count; i++)
			if (rule_table[i]->check_object && rule_on(options, i) &&
			    (!rule_table[i]->kinds || (rule_table[i]->kinds & RULE_KIND(k))))
				run->object_rules[k][run->object_rule_count[k]++] = rule_call(options, i);
	}
	run->file_rules = xmalloc((rule_count + 1) * sizeof(*run->file_rules));
	run->file_rule_count = 0;
	for (i = 0; i < rule_count; i++)
		if (rule_table[i]->check_file && rule_on(options, i))
			run->file_rules[run->file_rule_count++] = rule_call(options, i);
	/* One arena of findings per worker, then one per rule for the index rules (run_index_rules()). */
	run->diag_arenas = xcalloc(jobs + rule_count, sizeof(*run->diag_arenas));
	for (i = 0; i < rule_count; i++)
		arena_init(&run->diag_arenas[jobs + i]);
	for (j = 0; j < jobs; j++) {
		workers[j].run = run;
		workers[j].id = j;
		arena_init(&workers[j].keep);
		string_pool_init(&workers[j].strings, &workers[j].keep);
		node_cache_init(&workers[j].nodes, node_cache_bits(jobs));
		arena_init(&workers[j].scratch);
		workers[j].diags = &run->diag_arenas[j];
		arena_init(workers[j].diags);
		memset(&workers[j].found, 0, sizeof(workers[j].found));
		workers[j].found.arena = workers[j].diags;
		/* Their messages stay format and arguments until the kept objects are gone (finish()). */
		workers[j].found.defer = true;
		workers[j].regex = regex_scratch_new();
	}
}

/*
 * Gives back the paths of the files that left nothing behind, once every file is linted, and moves
 * the others to a new arena of the list: pass_paths() has dealt with those of the files linted in
 * order as the run went, and deals with the rest here; the old arena, or what is left of it, goes.
 * finish() then points the kept objects and the findings of the moved paths' files at them.
 */
static void drop_unneeded_paths(struct run *run)
{
	struct input_list *inputs = run->inputs;

	pass_paths(run, run->results, inputs->count);
	if (inputs->paths) {
		arena_release(inputs->paths);
		free(inputs->paths);
	}
	inputs->paths = run->paths;
	run->paths = NULL;
}

/* The inputs whose paths drop_unneeded_paths() gave back leave the list, which shrinks to fit: no
 * report reads them, and on a large repository they are half the list (1.7 MB at 100,000 apps). */
static void drop_unneeded_inputs(struct input_list *inputs)
{
	size_t i, n = 0;

	for (i = 0; i < inputs->count; i++)
		if (inputs->items[i].path)
			inputs->items[n++] = inputs->items[i];
	inputs->count = n;
	inputs->capacity = n + 1;
	inputs->items = xrealloc(inputs->items, inputs->capacity * sizeof(*inputs->items));
}

/* Everything after the files are parsed: the index, its rules, suppressions, the order. */
static void finish(struct run *run, struct worker *workers, unsigned int jobs, struct lint_result *result)
{
	const struct lint_options *options = run->options;
	struct input_list *inputs = run->inputs;
	struct object **objects = NULL;
	size_t object_count = 0, kind_at[KIND_COUNT] = { 0 }, i, k;
	size_t *kept_at = xcalloc(jobs, sizeof(*kept_at)), *diag_at = xcalloc(jobs, sizeof(*diag_at));
	struct index index;
	unsigned int j;

	/* The texts stay; the tables that found equal ones are not needed any more. */
	for (j = 0; j < jobs; j++) {
		string_pool_release(&workers[j].strings);
		node_cache_release(&workers[j].nodes);
		result->documents += workers[j].documents;
		result->objects += workers[j].objects;
	}
	/* First, before the gathering allocates its arrays: the paths not passed yet (all of them when
	 * several jobs linted a list made before) move into the blocks the old ones give back. */
	if (!options->keep_input_paths)
		drop_unneeded_paths(run);
	/* The index's array of objects, of its exact size, grouped by kind and in input order within a
	 * kind: index_build() then takes each kind's objects from it, where it kept a copy of them. */
	for (j = 0; j < jobs; j++)
		for (k = 0; k < workers[j].kept_count; k++)
			kind_at[workers[j].kept[k]->kind]++;
	for (k = 0; k < KIND_COUNT; k++) {
		size_t n = kind_at[k];

		kind_at[k] = object_count;
		object_count += n;
	}
	objects = xmalloc((object_count + 1) * sizeof(*objects));
	result->files = run->files_dropped;
	for (i = 0; i < inputs->count; i++) {
		const struct file_result *res = &run->results[i];
		const char *path = inputs->items[i].path;
		struct worker *w = &workers[res->worker];

		if (!inputs->items[i].in_context)
			result->files++;
		/* The kept objects and the findings name the path where it is now (where it was, unless
		 * drop_unneeded_paths() moved it). */
		if (res->kept_count) {
			struct object **kept = w->kept + kept_at[res->worker];

			for (k = 0; k < res->kept_count; k++) {
				kept[k]->file = path;
				objects[kind_at[kept[k]->kind]++] = kept[k];
			}
			kept_at[res->worker] += res->kept_count;
		}
		if (res->diag_count) {
			struct diag **diags = w->findings + diag_at[res->worker];

			for (k = 0; k < res->diag_count; k++)
				if (diags[k]->borrows_file)
					diags[k]->file = (char *)path;
			GROW(result->diags.items, result->diags.capacity, result->diags.count + res->diag_count);
			memcpy(result->diags.items + result->diags.count, diags, res->diag_count * sizeof(*diags));
			result->diags.count += res->diag_count;
			diag_at[res->worker] += res->diag_count;
		}
	}
	free(kept_at);
	free(diag_at);
	/* Gathered: the index phase, where the run's peak of memory is, does without the per-file
	 * results, the inputs that left nothing and the workers' arrays of kept objects and findings. */
	free(run->results);
	run->results = NULL;
	if (!options->keep_input_paths)
		drop_unneeded_inputs(run->inputs);
	for (j = 0; j < jobs; j++) {
		free(workers[j].kept);
		workers[j].kept = NULL;
		free(workers[j].findings);
		workers[j].findings = NULL;
	}
	result->stdin_text = run->stdin_text;
	result->stdin_length = run->stdin_length;
	index_build(&index, objects, object_count);
	run_index_rules(options, &index, jobs, run->diag_arenas + jobs, &result->diags);
	index_release(&index);
	free(objects);
	result->arenas = run->diag_arenas;	/* the result owns the findings' memory now */
	result->arena_count = jobs + rule_count;
	for (j = 0; j < jobs; j++) {
		arena_release(&workers[j].keep);
		arena_release(&workers[j].scratch);
		regex_scratch_free(workers[j].regex);
		free(workers[j].found.items);
	}
	/* The kept objects and the index are gone: the findings' texts now fit where they were. */
	diag_list_format(&result->diags);
	apply_suppressions(options, workers, jobs, &result->diags);
	free(workers);
	for (j = 0; j < KIND_COUNT; j++)
		free(run->object_rules[j]);
	free(run->file_rules);

	diag_list_sort(&result->diags);
	fingerprint_assign(&result->diags);
	for (i = 0; i < result->diags.count; i++)
		if (result->diags.items[i]->suppressed)
			result->suppressed++;
	result->baselined = baseline_apply(options->baseline, &result->diags);
	for (i = 0; i < result->diags.count; i++) {
		const struct diag *d = result->diags.items[i];

		if (!d->suppressed && d->severity <= SEVERITY_ERROR)
			result->counts[d->severity]++;
	}
}

/*
 * Lints inputs on jobs threads, which take them from a feed as they come: walk, when not NULL, hands
 * them over on this thread meanwhile; without one, the list is whole already.  This thread passes
 * the paths of the inputs linted so far meanwhile (struct lint_feed).  Returns 0, or -1 when the lock
 * cannot be made (before anything else is done).
 */
static int lint_fed(const struct lint_options *options, struct input_list *inputs, unsigned int jobs,
		    void (*walk)(void *data, struct lint_feed *feed), void *data, struct lint_result *result)
{
	struct run run;
	struct lint_feed feed;
	unsigned int started = 0, j;
	struct worker *workers;

	memset(&feed, 0, sizeof(feed));
	feed.inputs = inputs;
	if (pthread_mutex_init(&feed.lock, NULL) != 0)
		return -1;
	if (pthread_cond_init(&feed.more, NULL) != 0) {
		pthread_mutex_destroy(&feed.lock);
		return -1;
	}
	if (pthread_cond_init(&feed.linted_more, NULL) != 0) {
		pthread_cond_destroy(&feed.more);
		pthread_mutex_destroy(&feed.lock);
		return -1;
	}
	memset(result, 0, sizeof(*result));
	result->inputs = inputs;
	workers = xcalloc(jobs, sizeof(*workers));
	run_init(&run, options, inputs, workers, jobs);
	run.feed = &feed;
	feed.run = &run;
	run.passing = !options->keep_input_paths;
	if (walk) {
		/* The walk allocates the paths in the order it hands the inputs over. */
		run.paths_in_order = true;
	} else {
		feed.results = xcalloc(inputs->count + 1, sizeof(*feed.results));
		feed.results_capacity = inputs->count + 1;
		feed.done = true;
		run.paths_in_order = run.passing && paths_in_order(inputs);
	}
	for (j = 0; j < jobs; j++) {
		if (pthread_create(&workers[j].thread, NULL, work_fed, &workers[j]) != 0)
			break;
		started++;
	}
	if (walk)
		walk(data, &feed);
	pthread_mutex_lock(&feed.lock);
	feed.done = true;
	pthread_cond_broadcast(&feed.more);
	/* No input comes any more: the room the arrays grew into beyond them goes (workers read and
	 * write them only under the lock). */
	inputs->capacity = inputs->count + 1;
	inputs->items = xrealloc(inputs->items, inputs->capacity * sizeof(*inputs->items));
	feed.results_capacity = inputs->count + 1;
	feed.results = xrealloc(feed.results, feed.results_capacity * sizeof(*feed.results));
	/* The paths of the files still being linted are passed as they are done, a batch at a time. */
	while (started && run.passing && run.passed < inputs->count) {
		while (feed.linted < inputs->count && feed.linted - run.passed < PASS_BATCH)
			pthread_cond_wait(&feed.linted_more, &feed.lock);
		pass_paths(&run, feed.results, feed.linted);
	}
	pthread_mutex_unlock(&feed.lock);
	/* Threads that could not start leave their share to the others, or to this one. */
	if (started == 0)
		work_fed(&workers[0]);
	for (j = 0; j < started; j++)
		pthread_join(workers[j].thread, NULL);
	pthread_cond_destroy(&feed.linted_more);
	pthread_cond_destroy(&feed.more);
	pthread_mutex_destroy(&feed.lock);
	run.results = feed.results;
	finish(&run, workers, jobs, result);
	return 0;
}

int lint_run(const struct lint_options *options, struct input_list *inputs, struct lint_result *result)
{
	struct run run;
	unsigned int jobs = job_count(options, inputs->count);
	struct worker *workers;

	/* Several jobs take the files from a feed; without its lock, one job does. */
	if (jobs > 1 && lint_fed(options, inputs, jobs, NULL, NULL, result) == 0)
		return 0;
	jobs = 1;
	memset(result, 0, sizeof(*result));
	result->inputs = inputs;
	workers = xcalloc(jobs, sizeof(*workers));
	run_init(&run, options, inputs, workers, jobs);
	run.passing = !options->keep_input_paths;
	run.paths_in_order = run.passing && paths_in_order(inputs);
	lint_in_order(&workers[0]);
	finish(&run, workers, jobs, result);
	return 0;
}

int lint_run_fed(const struct lint_options *options, struct input_list *inputs,
		 void (*walk)(void *data, struct lint_feed *feed), void *data, struct lint_result *result)
{
	return lint_fed(options, inputs, job_count(options, SIZE_MAX), walk, data, result);
}

void lint_result_release(struct lint_result *result)
{
	size_t i;

	diag_list_release(&result->diags);
	for (i = 0; i < result->arena_count; i++)
		arena_release(&result->arenas[i]);
	free(result->arenas);
	result->arenas = NULL;
	result->arena_count = 0;
	free(result->stdin_text);
	result->stdin_text = NULL;
}

bool lint_tune_malloc(void)
{
#if defined(M_MMAP_THRESHOLD)
	/* Blocks from 128 KiB up get pages of their own, given back when freed.  glibc's default raises
	 * that bar to the size of the largest such block freed so far, after which the index's arrays
	 * land in the heap, around holes the paths and per-file tables left that none of them fits: the
	 * peak grew by 2 MiB at 100,000 apps, and by 4 when the call was lost (docs/DEVELOPING.md). */
	return mallopt(M_MMAP_THRESHOLD, 128 * 1024) == 1;
#else
	return false;
#endif
}
