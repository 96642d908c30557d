/* glob.h: path globs for the configuration's exclude and scopes lists.
 *
 * A glob is matched against a path relative to the configuration's folder, with '/' between folders:
 *   *      any run of characters within one folder or file name (not '/')
 *   ?      one character that is not '/'
 *   [abc]  one of the characters listed; [a-z] a range; [!a] or [^a] any but those
 *   **     as a whole path segment (between slashes, or at an end): zero or more folders
 *   \c     the character c itself
 * A glob that matches a folder matches everything below it too ("vendor" covers "vendor/a/b.yaml").
 * A glob without '/' matches a name at any depth ("*.json" covers "a/b/c.json").
 */
#ifndef SVCLINT_GLOB_H
#define SVCLINT_GLOB_H

#include <stdbool.h>

bool glob_match(const char *glob, const char *path);

#endif
