/* duplicate-object: the same group, kind, namespace and name twice in one manifest set. */
#include "rule.h"

#include <string.h>

static void check_index(struct rule_ctx *ctx, const struct index *index)
{
	size_t i;

	for (i = 0; i < index->count; i++) {
		const struct object *o = index->objects[i];
		const struct object *first;

		/* A unique object (index.h) is its chain alone: no look-up, which at 100,000 objects
		 * misses the cache more often than not. */
		if (!o->name[0] || o->unique)
			continue;
		for (first = index_find(index, o->scope, o->kind, o->namespace, o->name); first && first != o;
		     first = index_at(index, first->next_same)) {
			struct diag *d;

			/* Without scopes, only one file is surely one set: folders of separate test inputs,
			 * overlays and environments are common.  Within a configured scope, all files are. */
			if (strcmp(first->type->group, o->type->group) != 0 ||
			    strcmp(first->type->kind_name, o->type->kind_name) != 0 ||
			    (o->scope == 0 && strcmp(first->file, o->file) != 0))
				continue;
			d = rule_report(ctx, o, NULL, "%s is defined twice: the second apply overwrites the first, "
					"so one of the two silently does not take effect; remove or rename one",
					rule_describe(ctx, o));
			rule_note(d, first, NULL, "first defined here");
			break;
		}
	}
}

const struct rule rule_duplicate_object = {
	.id = "duplicate-object",
	.severity = SEVERITY_ERROR,
	.summary = "the same object (group, kind, namespace, name) is defined twice",
	.rationale = "two manifests for one object fight: whichever is applied last wins, and the other's "
		     "ports, addresses or labels are lost without a word.  Without configured scopes only one file "
		     "is surely applied as a whole, so duplicates are compared within a file; within a scope of "
		     ".svclint.yaml, across all its files.",
	.fix = "keep one definition, or give the second its own name or namespace.",
	.check_index = check_index,
};
