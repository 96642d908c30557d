/* report_sarif.c: SARIF 2.1.0 for code-scanning gates: rules with help, exact regions, related
 * locations for the other object of a pair, and fingerprints that survive unrelated line shifts. */
#include "report.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arena.h"
#include "baseline.h"
#include "rule.h"

static void json_string(FILE *out, const char *text)
{
	fputc('"', out);
	write_json_string(out, text);
	fputc('"', out);
}

static void text_object(FILE *out, const char *name, const char *text)
{
	fprintf(out, "\"%s\":{\"text\":", name);
	json_string(out, text);
	fputc('}', out);
}

/* RFC 3986: what a path may hold as is; everything else is percent-encoded. */
static bool uri_safe(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
	       c == '.' || c == '_' || c == '~' || c == '/' || c == '!' || c == '$' || c == '&' || c == '\'' ||
	       c == '(' || c == ')' || c == '*' || c == '+' || c == ',' || c == ';' || c == '=' || c == '@';
}

static void write_uri_path(FILE *out, const char *path)
{
	const unsigned char *s = (const unsigned char *)path;

	for (; *s; s++)
		if (uri_safe(*s))
			fputc(*s, out);
		else
			fprintf(out, "%%%02X", *s);
}

/* An artifactLocation: relative paths against %SRCROOT% (the current folder), absolute as file URIs. */
static void artifact_location(FILE *out, const char *file)
{
	fputs("\"artifactLocation\":{\"uri\":\"", out);
	if (file[0] == '/') {
		fputs("file://", out);
		write_uri_path(out, file);
		fputs("\"}", out);
		return;
	}
	while (file[0] == '.' && file[1] == '/')
		file += 2;
	write_uri_path(out, file);
	fputs("\",\"uriBaseId\":\"%SRCROOT%\"}", out);
}

static void physical_location(FILE *out, const char *file, unsigned int line, unsigned int column)
{
	fputs("\"physicalLocation\":{", out);
	artifact_location(out, file);
	fprintf(out, ",\"region\":{\"startLine\":%u,\"startColumn\":%u}}", line, column);
}

static const char *level(enum severity severity)
{
	switch (severity) {
	case SEVERITY_ERROR: return "error";
	case SEVERITY_WARNING: return "warning";
	default: return "note";
	}
}

static void write_rule(FILE *out, const struct rule *r)
{
	char *help = xasprintf("%s\n\nWhy: %s\n\nFix: %s%s%s", r->summary, r->rationale, r->fix ? r->fix : "-",
			       r->example ? "\n\nExample:\n" : "", r->example ? r->example : "");
	char *markdown = xasprintf("%s\n\n**Why.** %s\n\n**Fix.** %s%s%s%s", r->summary, r->rationale,
				   r->fix ? r->fix : "-", r->example ? "\n\n**Example.**\n\n```yaml\n" : "",
				   r->example ? r->example : "", r->example ? "```\n" : "");

	fputs("{\"id\":", out);
	json_string(out, r->id);
	fputc(',', out);
	text_object(out, "shortDescription", r->summary);
	fputc(',', out);
	text_object(out, "fullDescription", r->rationale);
	fputs(",\"help\":{\"text\":", out);
	json_string(out, help);
	fputs(",\"markdown\":", out);
	json_string(out, markdown);
	fprintf(out, "},\"defaultConfiguration\":{\"level\":\"%s\"},\"properties\":{\"tags\":[\"kubernetes\"]}}",
		level(r->severity));
	free(help);
	free(markdown);
}

static void write_result(FILE *out, const struct diag *d)
{
	size_t rule_index = 0, j;
	char fingerprint[17];

	rule_find(d->rule, &rule_index);
	fputs("{\"ruleId\":", out);
	json_string(out, d->rule);
	fprintf(out, ",\"ruleIndex\":%zu,\"level\":\"%s\",\"message\":{\"text\":\"", rule_index, level(d->severity));
	write_json_string(out, d->message);
	if (d->template_source) {
		fputs(" (from template ", out);
		write_json_string(out, d->template_source);
		fputc(')', out);
	}
	fputs("\"},\"locations\":[{", out);
	physical_location(out, d->file, d->line, d->column);
	if (d->object.kind) {
		char *qualified = xasprintf("%s/%s/%s", d->object.kind, d->object.namespace ? d->object.namespace : "",
					    d->object.name ? d->object.name : "");

		fputs(",\"logicalLocations\":[{\"name\":", out);
		json_string(out, d->object.name ? d->object.name : "");
		fputs(",\"fullyQualifiedName\":", out);
		json_string(out, qualified);
		fputs(",\"kind\":\"resource\"}]", out);
		free(qualified);
	}
	fputs("}]", out);
	if (d->related_count) {
		fputs(",\"relatedLocations\":[", out);
		for (j = 0; j < d->related_count; j++) {
			const struct related *r = &d->related[j];

			fprintf(out, "%s{\"id\":%zu,", j ? "," : "", j + 1);
			physical_location(out, r->file, r->line, r->column);
			fputc(',', out);
			text_object(out, "message", r->message);
			fputc('}', out);
		}
		fputc(']', out);
	}
	fingerprint_format(d->fingerprint, fingerprint);
	fprintf(out, ",\"partialFingerprints\":{\"svclint/v1\":\"%s\"}", fingerprint);
	if (d->template_source) {
		fputs(",\"properties\":{\"template\":", out);
		json_string(out, d->template_source);
		fputc('}', out);
	}
	fputc('}', out);
}

/* The current folder as a file URI ending in '/', the base of every relative artifact. */
static void write_source_root(FILE *out)
{
	char *cwd = getcwd(NULL, 0);

	fputs("\"originalUriBaseIds\":{\"%SRCROOT%\":{\"uri\":\"file://", out);
	write_uri_path(out, cwd ? cwd : "/");
	if (!cwd || strcmp(cwd, "/") != 0)
		fputc('/', out);
	fputs("\"}}", out);
	free(cwd);
}

int report_sarif(FILE *out, const struct lint_result *result, const struct report_options *options)
{
	size_t i;
	bool first = true;

	fputs("{\"$schema\":\"https://json.schemastore.org/sarif-2.1.0.json\",\"version\":\"2.1.0\",\"runs\":[{"
	      "\"tool\":{\"driver\":{\"name\":\"svclint\",\"version\":", out);
	json_string(out, options->version);
	fputs(",\"semanticVersion\":", out);
	json_string(out, options->version);
	fputs(",\"rules\":[", out);
	for (i = 0; i < rule_count; i++) {
		if (i)
			fputc(',', out);
		fputs("\n", out);
		write_rule(out, rule_table[i]);
	}
	fputs("]}},\n\"invocations\":[{\"executionSuccessful\":true}],", out);
	write_source_root(out);
	fputs(",\"columnKind\":\"unicodeCodePoints\",\"results\":[", out);
	for (i = 0; i < result->diags.count; i++) {
		const struct diag *d = result->diags.items[i];

		if (d->suppressed)
			continue;
		fputs(first ? "\n" : ",\n", out);
		first = false;
		write_result(out, d);
	}
	fputs("]}]}\n", out);
	return ferror(out) ? -1 : 0;
}
