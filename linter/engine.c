/* engine.c: the lint pipeline.  Files are parsed by worker threads; everything after is ordered. */
#include "engine.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rule.h"

/* What one file leaves behind once its tree is gone. */
struct file_result {
	struct diag_list diags;
	struct object **kept;	/* copies in the worker's keep arena */
	size_t kept_count;
	size_t documents;
};

struct worker {
	struct run *run;
	struct arena keep;	/* objects the index needs, for the whole run */
	struct arena scratch;	/* one file's text tree, rewound after each file */
	pthread_t thread;
};

struct run {
	const struct lint_options *options;
	const struct input_list *inputs;
	struct file_result *results;
	atomic_size_t next;
};

static bool rule_on(const struct lint_options *options, size_t i)
{
	return options->rule_enabled ? options->rule_enabled[i] : true;
}

static void context_init(struct rule_ctx *ctx, const struct lint_options *options, size_t i,
			 struct diag_list *out, struct arena *arena)
{
	ctx->rule = rule_table[i];
	ctx->severity = options->rule_severity && options->rule_severity[i] != SEVERITY_NONE ?
			options->rule_severity[i] : rule_table[i]->severity;
	ctx->options = options;
	ctx->out = out;
	ctx->arena = arena;
}

static void run_file_rules(struct run *run, struct file_result *res, const struct lint_file *file,
			   struct arena *scratch)
{
	size_t i;

	for (i = 0; i < rule_count; i++) {
		struct rule_ctx ctx;

		if (!rule_table[i]->check_file || !rule_on(run->options, i))
			continue;
		context_init(&ctx, run->options, i, &res->diags, scratch);
		rule_table[i]->check_file(&ctx, file);
	}
}

static void run_object_rules(struct run *run, struct file_result *res, const struct object *object,
			     struct arena *scratch)
{
	size_t i;

	for (i = 0; i < rule_count; i++) {
		struct rule_ctx ctx;

		if (!rule_table[i]->check_object || !rule_on(run->options, i))
			continue;
		context_init(&ctx, run->options, i, &res->diags, scratch);
		rule_table[i]->check_object(&ctx, object);
	}
}

static void lint_one(struct worker *w, size_t index)
{
	const struct input *in = &w->run->inputs->items[index];
	struct file_result *res = &w->run->results[index];
	struct lint_file file;
	struct arena_mark mark = arena_mark(&w->scratch);
	char *data = NULL, *error = NULL;
	size_t len = 0, i;
	struct doc_set docs;
	struct object_list objects = { 0 };
	struct collect_options collect;

	memset(&file, 0, sizeof(file));
	file.path = in->path;
	file.in_context = in->in_context;
	if (in->error) {
		file.io_error = in->error;
		run_file_rules(w->run, res, &file, &w->scratch);
		return;
	}
	if (source_read(in, &data, &len, &error) != 0) {
		file.io_error = arena_strdup(&w->scratch, error);
		free(error);
		run_file_rules(w->run, res, &file, &w->scratch);
		arena_rewind(&w->scratch, mark);
		return;
	}
	file.text = data;
	file.length = len;
	file.skip_reason = source_helm_reason(in->path, data, len);
	if (file.skip_reason) {
		run_file_rules(w->run, res, &file, &w->scratch);
		free(data);
		return;
	}
	doc_parse(&docs, &w->scratch, data, len, &doc_default_limits);
	file.docs = &docs;
	res->documents = docs.count;
	run_file_rules(w->run, res, &file, &w->scratch);

	collect.default_namespace = w->run->options->default_namespace;
	collect.file = in->path;
	collect.scope = 0;
	collect.in_context = in->in_context;
	object_collect(&objects, &w->scratch, docs.documents, docs.count, &collect);
	res->kept = xmalloc((objects.count + 1) * sizeof(*res->kept));
	for (i = 0; i < objects.count; i++) {
		run_object_rules(w->run, res, objects.items[i], &w->scratch);
		res->kept[res->kept_count++] = object_keep(&w->keep, objects.items[i]);
	}
	object_list_release(&objects);
	free(docs.documents);
	free(docs.problems);
	free(data);
	arena_rewind(&w->scratch, mark);
}

static void *work(void *arg)
{
	struct worker *w = arg;
	size_t count = w->run->inputs->count;

	for (;;) {
		size_t i = atomic_fetch_add(&w->run->next, 1);

		if (i >= count)
			break;
		lint_one(w, i);
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

static void run_index_rules(const struct lint_options *options, const struct index *index,
			    struct diag_list *out)
{
	struct arena scratch;
	size_t i;

	arena_init(&scratch);
	for (i = 0; i < rule_count; i++) {
		struct rule_ctx ctx;

		if (!rule_table[i]->check_index || !rule_on(options, i))
			continue;
		context_init(&ctx, options, i, out, &scratch);
		rule_table[i]->check_index(&ctx, index);
	}
	arena_release(&scratch);
}

int lint_run(const struct lint_options *options, const struct input_list *inputs, struct lint_result *result)
{
	struct run run;
	unsigned int jobs = job_count(options, inputs->count), j;
	struct worker *workers = xcalloc(jobs, sizeof(*workers));
	struct object **objects = NULL;
	size_t object_count = 0, object_cap = 0, i;
	struct index index;
	int rc = 0;

	memset(result, 0, sizeof(*result));
	run.options = options;
	run.inputs = inputs;
	run.results = xcalloc(inputs->count + 1, sizeof(*run.results));
	atomic_init(&run.next, 0);
	for (j = 0; j < jobs; j++) {
		workers[j].run = &run;
		arena_init(&workers[j].keep);
		arena_init(&workers[j].scratch);
	}
	if (jobs == 1) {
		work(&workers[0]);
	} else {
		unsigned int started = 0;

		for (j = 0; j < jobs; j++) {
			if (pthread_create(&workers[j].thread, NULL, work, &workers[j]) != 0)
				break;
			started++;
		}
		/* Whatever threads could not start, the ones that did (or this one) take over. */
		if (started == 0)
			work(&workers[0]);
		for (j = 0; j < started; j++)
			pthread_join(workers[j].thread, NULL);
	}

	for (i = 0; i < inputs->count; i++) {
		struct file_result *res = &run.results[i];

		if (!inputs->items[i].in_context) {
			result->files++;
			result->documents += res->documents;
		}
		if (res->kept_count) {	/* objects may still be NULL: NULL + 0 is undefined */
			GROW(objects, object_cap, object_count + res->kept_count);
			memcpy(objects + object_count, res->kept, res->kept_count * sizeof(*objects));
			object_count += res->kept_count;
		}
		free(res->kept);
		diag_list_move(&result->diags, &res->diags);
	}
	for (i = 0; i < object_count; i++)
		if (!objects[i]->in_context)
			result->objects++;
	index_build(&index, objects, object_count);
	run_index_rules(options, &index, &result->diags);
	index_release(&index);
	free(objects);
	for (j = 0; j < jobs; j++) {
		arena_release(&workers[j].keep);
		arena_release(&workers[j].scratch);
	}
	free(workers);
	free(run.results);

	diag_list_sort(&result->diags);
	for (i = 0; i < result->diags.count; i++)
		if (result->diags.items[i]->severity <= SEVERITY_ERROR)
			result->counts[result->diags.items[i]->severity]++;
	return rc;
}

void lint_result_release(struct lint_result *result)
{
	diag_list_release(&result->diags);
}
