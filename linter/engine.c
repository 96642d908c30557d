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

/* What one file leaves behind once its tree is gone: one per input, so 24 bytes.  Its documents and
 * objects are counted by the worker, its suppressions listed there (most files have none). */
struct file_result {
	struct diag **diags;	/* its findings, in the worker's diag arena, or NULL */
	unsigned int diag_count;
	unsigned int kept_count;
	unsigned int kept_at;	/* where its kept objects start in its worker's kept array */
	unsigned short worker;	/* which worker linted it (at most 64) */
	bool listed;		/* its svclint comments are in its worker's lists */
};

struct worker {
	struct run *run;
	struct arena keep;	/* objects the index needs, for the whole run */
	struct string_pool strings;	/* their texts, in keep */
	struct node_cache nodes;	/* their equal nodes, stored once (doc.h) */
	struct object_types types;	/* their apiVersions and kinds, stored once (object.h) */
	/* The copies, in the order of its files (a file_result says where its own are): malloc'd, so
	 * that it is freed once the index has gathered them, before the peak of the run. */
	struct object **kept;
	size_t kept_count, kept_capacity;
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
	struct file_result *results;
	atomic_size_t next;
	struct lint_feed *feed;	/* inputs still coming from a walk (lint_run_fed), else NULL */
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
	size_t kept;

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
	res->worker = (unsigned short)w->id;
	res->kept_at = (unsigned int)w->kept_count;
	for (i = 0; i < objects.count; i++) {
		k8s_learn(objects.items[i]);
		run_object_rules(w, objects.items[i]);
		if (!in->in_context)
			suppress_add_annotation(&w->suppressions, objects.items[i]);
		if (keep[i])
			w->kept[w->kept_count++] = object_keep(&w->strings, &w->nodes, &w->types, objects.items[i]);
	}
	res->kept_count = (unsigned int)(w->kept_count - res->kept_at);
	free(keep);
	object_list_release(&objects);
	free(docs.documents);
	free(docs.problems);
	release_text(w, in, data, len);
	arena_rewind(&w->scratch, mark);
}

static void lint_one(struct worker *w, const struct input *in, struct file_result *res)
{
	/* The file's findings name its path without a copy; drop_unneeded_paths() points them at the
	 * path's new place. */
	w->found.borrowed_file = in->path;
	lint_input(w, in, res);
	w->found.borrowed_file = NULL;
	/* The file's findings are kept as an array of their own size, beside them in the arena. */
	if (w->found.count) {
		res->diags = arena_alloc(w->diags, w->found.count * sizeof(*res->diags));
		memcpy(res->diags, w->found.items, w->found.count * sizeof(*res->diags));
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
 * Inputs a walk hands over while it goes on.  The walk appends under the lock and signals; a worker
 * takes the next index under the lock, copies the input (the array moves as it grows; the strings it
 * points to do not), lints it unlocked, and stores its result under the lock again.
 */
struct lint_feed {
	pthread_mutex_t lock;
	pthread_cond_t more;
	struct input_list *inputs;
	struct file_result *results;	/* grown with inputs; run.results once the walk is done */
	size_t results_capacity;
	size_t next;
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
		pthread_mutex_lock(&feed->lock);
		feed->results[i] = res;
		pthread_mutex_unlock(&feed->lock);
	}
	return NULL;
}

static void *work(void *arg)
{
	struct worker *w = arg;
	size_t count = w->run->inputs->count;

	for (;;) {
		size_t i = atomic_fetch_add(&w->run->next, 1);

		if (i >= count)
			break;
		lint_one(w, &w->run->inputs->items[i], &w->run->results[i]);
	}
	return NULL;
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

static void run_index_rules(const struct lint_options *options, const struct index *index, unsigned int jobs,
			    struct diag_list *out)
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
	atomic_init(&run->next, 0);
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
	run->diag_arenas = xcalloc(jobs, sizeof(*run->diag_arenas));
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

/* Runs fn on every worker, each on its own thread; when none can start, on this thread. */
static void run_workers(struct worker *workers, unsigned int jobs, void *(*fn)(void *))
{
	unsigned int started = 0, j;

	if (jobs == 1) {
		fn(&workers[0]);
		return;
	}
	for (j = 0; j < jobs; j++) {
		if (pthread_create(&workers[j].thread, NULL, fn, &workers[j]) != 0)
			break;
		started++;
	}
	/* Whatever threads could not start, the ones that did (or this one) take over. */
	if (started == 0)
		fn(&workers[0]);
	for (j = 0; j < started; j++)
		pthread_join(workers[j].thread, NULL);
}

/*
 * Whether the inputs' paths were allocated in input order, so that once an input is passed, every
 * block of the arena older than its path's is passed too.  A walk makes them so; ages[i] is input i's
 * block's age, or -1 (no path, or one outside the arena).
 */
static bool paths_in_order(const long *ages, size_t count)
{
	long last = -1;
	size_t i;

	for (i = 0; i < count; i++) {
		if (ages[i] < 0)
			continue;
		if (ages[i] < last)
			return false;
		last = ages[i];
	}
	return true;
}

/*
 * Gives back the paths of the files that left nothing behind, once every file is linted: no finding,
 * no kept object, no svclint comment.  Nothing reads those paths again but a report that lists every
 * file (options->keep_input_paths); on a large repository they are about half the paths.  The others
 * move to a new arena of the list, and the kept objects and the findings of their files (which name
 * the path itself: diag_list.borrowed_file) are pointed at the moved path.  When the paths were
 * allocated in input order (a walk's are), each block of the old arena is freed as soon as the move
 * has passed it, so that the new arena grows into the blocks the old one gives back: the old and
 * the new paths are never all held at once.
 */
static void drop_unneeded_paths(struct run *run, struct worker *workers)
{
	struct input_list *inputs = run->inputs;
	struct arena *paths = xmalloc(sizeof(*paths));
	struct arena_ages blocks = { NULL, 0 };
	long *ages = NULL, freed = 0;
	size_t i, k;

	arena_init(paths);
	if (inputs->paths) {
		arena_ages_init(&blocks, inputs->paths);
		ages = xmalloc((inputs->count + 1) * sizeof(*ages));
		for (i = 0; i < inputs->count; i++)
			ages[i] = inputs->items[i].path ? arena_age_of(&blocks, inputs->items[i].path) : -1;
		arena_ages_release(&blocks);
		if (!paths_in_order(ages, inputs->count)) {
			free(ages);
			ages = NULL;
		}
	}
	for (i = 0; i < inputs->count; i++) {
		const struct file_result *res = &run->results[i];
		struct input *in = &inputs->items[i];
		size_t size;
		char *moved;

		if (!in->path)
			continue;
		if (ages && ages[i] > freed) {
			/* Every input before this one is passed, and with it every older block. */
			arena_free_oldest(inputs->paths, (size_t)(ages[i] - freed));
			freed = ages[i];
		}
		if (!res->diag_count && !res->kept_count && !res->listed) {
			in->path = NULL;
			continue;
		}
		/* What follows the path's NUL (input_read_path(), input_error()) moves with it. */
		size = strlen(in->path) + 1;
		if (in->read_elsewhere || in->has_error)
			size += strlen(in->path + size) + 1;
		moved = arena_alloc_bytes(paths, size);
		memcpy(moved, in->path, size);
		for (k = 0; k < res->kept_count; k++)
			workers[res->worker].kept[res->kept_at + k]->file = moved;
		for (k = 0; k < res->diag_count; k++)
			if (res->diags[k]->file == in->path)
				res->diags[k]->file = moved;
		in->path = moved;
	}
	free(ages);
	if (inputs->paths) {
		arena_release(inputs->paths);
		free(inputs->paths);
	}
	inputs->paths = paths;
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
	struct index index;
	unsigned int j;

	/* The texts stay; the tables that found equal ones are not needed any more. */
	for (j = 0; j < jobs; j++) {
		string_pool_release(&workers[j].strings);
		node_cache_release(&workers[j].nodes);
		result->documents += workers[j].documents;
		result->objects += workers[j].objects;
	}
	/* First, before the gathering allocates its arrays: the moved paths grow into the blocks the old
	 * ones give back. */
	if (!options->keep_input_paths)
		drop_unneeded_paths(run, workers);
	/* The index's array of objects, of its exact size, grouped by kind and in input order within a
	 * kind: index_build() then takes each kind's objects from it, where it kept a copy of them. */
	for (i = 0; i < inputs->count; i++) {
		const struct file_result *res = &run->results[i];

		for (k = 0; k < res->kept_count; k++)
			kind_at[workers[res->worker].kept[res->kept_at + k]->kind]++;
	}
	for (k = 0; k < KIND_COUNT; k++) {
		size_t n = kind_at[k];

		kind_at[k] = object_count;
		object_count += n;
	}
	objects = xmalloc((object_count + 1) * sizeof(*objects));
	for (i = 0; i < inputs->count; i++) {
		struct file_result *res = &run->results[i];

		if (!inputs->items[i].in_context)
			result->files++;
		for (k = 0; k < res->kept_count; k++) {
			struct object *o = workers[res->worker].kept[res->kept_at + k];

			objects[kind_at[o->kind]++] = o;
		}
		if (res->diag_count) {
			GROW(result->diags.items, result->diags.capacity, result->diags.count + res->diag_count);
			memcpy(result->diags.items + result->diags.count, res->diags,
			       res->diag_count * sizeof(*res->diags));
			result->diags.count += res->diag_count;
		}
	}
	/* Gathered: the index phase, where the run's peak of memory is, does without the per-file
	 * results, the inputs that left nothing and the workers' arrays of kept objects. */
	free(run->results);
	run->results = NULL;
	if (!options->keep_input_paths)
		drop_unneeded_inputs(run->inputs);
	for (j = 0; j < jobs; j++) {
		free(workers[j].kept);
		workers[j].kept = NULL;
	}
	result->stdin_text = run->stdin_text;
	result->stdin_length = run->stdin_length;
	index_build(&index, objects, object_count);
	run_index_rules(options, &index, jobs, &result->diags);
	index_release(&index);
	free(objects);
	result->arenas = run->diag_arenas;	/* the result owns the findings' memory now */
	result->arena_count = jobs;
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

int lint_run(const struct lint_options *options, struct input_list *inputs, struct lint_result *result)
{
	struct run run;
	unsigned int jobs = job_count(options, inputs->count);
	struct worker *workers = xcalloc(jobs, sizeof(*workers));

	memset(result, 0, sizeof(*result));
	result->inputs = inputs;
	run_init(&run, options, inputs, workers, jobs);
	run.results = xcalloc(inputs->count + 1, sizeof(*run.results));
	run_workers(workers, jobs, work);
	finish(&run, workers, jobs, result);
	return 0;
}

int lint_run_fed(const struct lint_options *options, struct input_list *inputs,
		 void (*walk)(void *data, struct lint_feed *feed), void *data, struct lint_result *result)
{
	struct run run;
	struct lint_feed feed;
	unsigned int jobs = job_count(options, SIZE_MAX), started = 0, j;
	struct worker *workers;

	memset(result, 0, sizeof(*result));
	result->inputs = inputs;
	memset(&feed, 0, sizeof(feed));
	feed.inputs = inputs;
	if (pthread_mutex_init(&feed.lock, NULL) != 0)
		return -1;
	if (pthread_cond_init(&feed.more, NULL) != 0) {
		pthread_mutex_destroy(&feed.lock);
		return -1;
	}
	workers = xcalloc(jobs, sizeof(*workers));
	run_init(&run, options, inputs, workers, jobs);
	run.feed = &feed;
	for (j = 0; j < jobs; j++) {
		if (pthread_create(&workers[j].thread, NULL, work_fed, &workers[j]) != 0)
			break;
		started++;
	}
	walk(data, &feed);
	pthread_mutex_lock(&feed.lock);
	feed.done = true;
	pthread_cond_broadcast(&feed.more);
	pthread_mutex_unlock(&feed.lock);
	/* Threads that could not start leave their share to the others, or to this one. */
	if (started == 0)
		work_fed(&workers[0]);
	for (j = 0; j < started; j++)
		pthread_join(workers[j].thread, NULL);
	pthread_cond_destroy(&feed.more);
	pthread_mutex_destroy(&feed.lock);
	/* Exactly as many results as inputs from here on: the rest of the run is its peak of memory. */
	run.results = xrealloc(feed.results, (inputs->count + 1) * sizeof(*run.results));
	finish(&run, workers, jobs, result);
	return 0;
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
