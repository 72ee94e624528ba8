/* sysfs.c - the registry that stands in for /sys/kernel/slab: sysfs_slab_add, sysfs_slab_alias,
 * sysfs_slab_remove and slab_sysfs_init, with boot-time aliases saved until sysfs is up. */
#include "slub_def.h"

/*
 * Deliberate difference: no kobjects or sysfs files. A cache's directory and each alias link
 * are entries in this table; the harness hook can fail any registration, which is how sysfs
 * memory shortage reaches kmem_cache_create and slab_sysfs_init here.
 */
#define REGISTRY_MAX 4096
#define ID_STR_LENGTH 64

/*
 * An entry's name is the registry's own copy, as in 2.6.36, where kobject_set_name and
 * sysfs_create_link copy the name with no bound but memory: the string a caller handed to
 * kmem_cache_create may be freed once its cache is destroyed, while an alias link made under
 * it stays (fuzz/objects.c frees each name then). No length is cut either.
 */
struct registry_entry {
	const char *name; /* in registry_names */
	unsigned int hash; /* registry_hash(name): a lookup compares names only when it matches */
	struct kmem_cache *s;
	int is_alias;
};

/*
 * Deliberate difference: the copies come from a pool of the registry's own, not from
 * kmalloc, so that registering a cache changes no slab cache's contents (sysfs memory is
 * modelled by the registry hook, which fails registrations). The pool is used from the start
 * and reclaimed only when the next machine boots (slub_sysfs_reset): a machine registers a few
 * thousand names in its life, and a snapshot saves just the part in use. A full pool fails the registration with -ENOMEM, as a failed
 * kmalloc of the name would.
 */
#define REGISTRY_NAMES (1u << 20)
static char registry_names[REGISTRY_NAMES];
static __slub_state size_t registry_names_used;

static struct registry_entry registry[REGISTRY_MAX];
static __slub_state int registry_used;
static slub_registry_hook_fn registry_hook;
static void *registry_hook_arg;

/* Aliases made before sysfs is up wait here (kmalloc'd, as the kernel does). */
struct saved_alias {
	struct kmem_cache *s;
	const char *name;
	struct saved_alias *next;
};
static __slub_state struct saved_alias *alias_list;

static void saved_alias_free(struct saved_alias *al)
{
#if !defined(SLUB_BOOTSTRAP_SEED) && !defined(SLUB_BUG_UPSTREAM_EARLY_ALIAS_NAME)
	kfree(al->name); /* the copy sysfs_slab_alias made */
#endif
	kfree(al);
}

void slub_set_registry_hook(slub_registry_hook_fn fn, void *arg)
{
	registry_hook = fn;
	registry_hook_arg = arg;
}

/* For snapshot.c: the registry entries in use (registry_used is in the state section). */
void sysfs_state_regions(slub_region_fn add, void *ctx)
{
	if (registry_used)
		add(registry, (size_t)registry_used * sizeof(registry[0]), ctx);
	if (registry_names_used)
		add(registry_names, registry_names_used, ctx);
}

/* FNV-1a over the name: every create and alias looks names up in a table of 30-4096 entries. */
static unsigned int registry_hash(const char *name)
{
	unsigned int h = 2166136261u;

	while (*name)
		h = fnv_step(h, (unsigned char)*name++, 16777619u);
	return h;
}

static int registry_find(const char *name)
{
	unsigned int hash = registry_hash(name);
	int i;

	for (i = 0; i < registry_used; i++)
		if (registry[i].hash == hash && !strcmp(registry[i].name, name))
			return i;
	return -1;
}

static void registry_remove_at(int i)
{
	registry[i] = registry[--registry_used];
}

static int registry_insert(const char *op, const char *name, struct kmem_cache *s, int is_alias)
{
	struct registry_entry *e;
	char *copy;
	size_t len;

	if (registry_hook && registry_hook(op, name, registry_hook_arg))
		return -ENOMEM;
	if (registry_find(name) >= 0)
		return -EEXIST; /* sysfs refuses a duplicate name */
	len = strlen(name) + 1;
	if (registry_used == REGISTRY_MAX || len > REGISTRY_NAMES - registry_names_used)
		return -ENOMEM;
	copy = memcpy(registry_names + registry_names_used, name, len);
	registry_names_used += len;
	e = &registry[registry_used++];
	e->name = copy;
	e->hash = registry_hash(copy);
	e->s = s;
	e->is_alias = is_alias;
	return 0;
}

/*
 * sysfs_remove_link(&slab_kset->kobj, name), which sysfs_slab_add (for an unmergeable cache)
 * and sysfs_slab_alias call to clear a leftover alias link. 2.6.36's sysfs_hash_and_remove
 * takes away whatever entry has the name: a link, or another cache's directory.
 */
static void sysfs_remove_link(const char *name)
{
	int i = registry_find(name);

	if (i < 0)
		return;
	if (registry[i].is_alias) {
		registry_remove_at(i);
		return;
	}
#if !defined(SLUB_BOOTSTRAP_SEED) && !defined(SLUB_BUG_UPSTREAM_SYSFS_REMOVE_OTHER_DIR)
	/*
	 * Correction: 2.6.36 removed another cache's directory here (two caches of one name, one
	 * unmergeable, e.g. under slub_debug). That cache lost its files, and its own
	 * kmem_cache_destroy later removed the directory a second time: kernel BUG in
	 * sysfs_remove_one (sysfs_slab_remove below). Here only a link goes; a directory stays,
	 * and the new entry fails with -EEXIST as any duplicate sysfs name does (kmem_cache_create
	 * returns NULL). Not fixed upstream as such: kernfs (v3.14) made the second removal
	 * harmless, but the first cache's directory still goes.
	 */
#else
	registry[i].s->kobj.removed = 1; /* its dirent unlinked, its files out of reach */
	registry_remove_at(i);
#endif
}

/* Whether the name is a cache's directory (not an alias link) in /sys/kernel/slab. */
int slub_registry_is_dir(const char *name)
{
	int i = registry_find(name);

	return i >= 0 && !registry[i].is_alias;
}

struct kmem_cache *slub_registry_lookup(const char *name)
{
	int i = registry_find(name);

	return i < 0 ? NULL : registry[i].s;
}

/* A mergeable cache's directory is named by what decides merging: ":" flags "-" size. */
static char *create_unique_id(struct kmem_cache *s)
{
	char *name = kmalloc(ID_STR_LENGTH, GFP_KERNEL);
	char *p;

#if !defined(SLUB_BOOTSTRAP_SEED) && !defined(SLUB_BUG_UPSTREAM_UNIQUE_ID_BUG_ON)
	/*
	 * Correction: 2.6.36 had BUG_ON(!name), so a failed kmalloc while a mergeable cache was
	 * registered stopped the kernel. Upstream 7e9c323c52b3 (v6.0) returns -ENOMEM instead;
	 * sysfs_slab_add passes that on and kmem_cache_create fails cleanly.
	 */
	if (!name)
		return NULL;
#else
	BUG_ON(!name);
#endif
	p = name;
	*p++ = ':';
	if (s->flags & SLAB_CACHE_DMA)
		*p++ = 'd';
	if (s->flags & SLAB_RECLAIM_ACCOUNT)
		*p++ = 'a';
	if (s->flags & SLAB_DEBUG_FREE)
		*p++ = 'F';
	if (!(s->flags & SLAB_NOTRACK))
		*p++ = 't';
	if (p != name + 1)
		*p++ = '-';
	slub_snprintf(p, (size_t)(ID_STR_LENGTH - (p - name)), "%07d", s->size);
	return name;
}

int sysfs_slab_add(struct kmem_cache *s)
{
	const char *name;
	char *unique = NULL;
	int unmergeable, err;

	if (slab_state < SYSFS)
		return 0; /* slab_sysfs_init adds it later */

	unmergeable = slab_unmergeable(s);
#ifndef SLUB_BOOTSTRAP_SEED
	/*
	 * Correction to 2.6.36 (fixed only): under slub_debug=O, kmem_cache_open drops the
	 * metadata flags of a cache whose order they would raise, so the cache looks mergeable
	 * here although find_mergeable refused it (it was asked for with debug flags). Its
	 * unique id then names an existing cache's directory, registration fails with -EEXIST
	 * and kmem_cache_create returns NULL with memory to spare. Upstream: "slub: Fix sysfs
	 * duplicate filename creation when slub_debug=O" (Miles Chen, v4.15) keeps such caches
	 * under their own name.
	 */
	if (!unmergeable && disable_higher_order_debug && (slub_debug & DEBUG_METADATA_FLAGS))
		unmergeable = 1;
#endif
	if (unmergeable) {
		/* Its own name is the directory; a leftover entry of that name goes first. */
		sysfs_remove_link(s->name);
		name = s->name;
	} else {
		unique = create_unique_id(s);
		if (!unique)
			return -ENOMEM;
		/* kobject_init_and_add copies the name; the unique id is kfree'd after */
		slub_snprintf(s->kobj.unique, sizeof(s->kobj.unique), "%s", unique);
		name = s->kobj.unique;
	}

	err = registry_insert("add", name, s, 0);
	if (err) {
#if !defined(SLUB_BOOTSTRAP_SEED) && !defined(SLUB_BUG_UPSTREAM_SYSFS_ADD_RELEASE)
		/*
		 * Correction: 2.6.36 dropped the half-made kobject here, and its release
		 * (kmem_cache_release) kfree'd s. kmem_cache_create then list_del'd and kfree'd
		 * the freed s again, and slab_sysfs_init freed a boot cache that stays in use.
		 * Upstream 2420baa8e046 ("mm/slab: Allow cache creation to proceed even if sysfs
		 * registration fails", 2024) stopped the release from freeing s on this path.
		 * Here a failure frees nothing of s; the caller decides.
		 */
#else
		kfree(s); /* kobject_put: the last reference, kmem_cache_release */
#endif
#if !defined(SLUB_BOOTSTRAP_SEED) && !defined(SLUB_BUG_UPSTREAM_CREATE_SYSFS_LEAK)
		/* Correction: 2.6.36 leaked the unique id on this path (see kmem_cache_create). */
		kfree(unique);
#endif
		return err;
	}
	s->kobj.registered = 1;
	s->kobj.removed = 0;
	s->kobj.name = registry[registry_used - 1].name; /* the directory's own copy */
	if (!unmergeable) {
		/* The cache's own name becomes its first alias. */
		sysfs_slab_alias(s, s->name);
		kfree(unique);
	}
	return 0;
}

int sysfs_slab_alias(struct kmem_cache *s, const char *name)
{
	struct saved_alias *al;

	if (slab_state == SYSFS) {
		sysfs_remove_link(name);
		return registry_insert("alias", name, s, 1);
	}

	al = kmalloc(sizeof(*al), GFP_KERNEL);
	if (!al)
		return -ENOMEM;
	al->s = s;
#if !defined(SLUB_BOOTSTRAP_SEED) && !defined(SLUB_BUG_UPSTREAM_EARLY_ALIAS_NAME)
	/*
	 * Correction: 2.6.36 saved the caller's pointer until slab_sysfs_init. A caller that
	 * destroys its merged cache and frees its name before then (a built-in initcall may)
	 * leaves slab_sysfs_init reading freed memory for the alias link's name. Not fixed
	 * upstream (later kernels still save the pointer); here the saved alias keeps a copy.
	 */
	{
		size_t len = strlen(name) + 1;
		char *copy = kmalloc(len, GFP_KERNEL);

		if (!copy) {
			kfree(al);
			return -ENOMEM;
		}
		memcpy(copy, name, len);
		name = copy;
	}
#endif
	al->name = name;
	al->next = alias_list;
	alias_list = al;
	return 0;
}

/* Removes the cache's entries and, as the kobject release did, frees the kmem_cache. */
void sysfs_slab_remove(struct kmem_cache *s)
{
	int i;

	if (slab_state < SYSFS) {
#if !defined(SLUB_BOOTSTRAP_SEED) && !defined(SLUB_BUG_UPSTREAM_EARLY_DESTROY_LEAK)
		/*
		 * Correction: 2.6.36 returned here (added by 2bce6485, "slub: Allow removal of
		 * slab caches during boot") and s was never freed, a kmem_cache leaked for every
		 * destroy before slab_sysfs_init. Nothing was registered, so nothing else holds
		 * s: free it, as the common kmem_cache_destroy of later kernels (3.7 on) does.
		 */
		kfree(s);
#endif
		return;
	}

#if defined(SLUB_BOOTSTRAP_SEED) || defined(SLUB_BUG_UPSTREAM_SYSFS_REMOVE_OTHER_DIR)
	if (s->kobj.removed) {
		/*
		 * 2.6.36: another cache's sysfs_slab_add removed this directory by name. The
		 * files inside held the last references to its sysfs_dirent, so kobject_del's
		 * sysfs_remove_dir frees the dirent when it removes them, then remove_dir hands
		 * the freed dirent, still flagged SYSFS_FLAG_REMOVED, to sysfs_remove_one.
		 */
		slub_fatal(SLUB_REPORT_BUG, "fs/sysfs/dir.c", 477, "sysfs_remove_one",
			   "kernel BUG: BUG_ON(sd->s_flags & SYSFS_FLAG_REMOVED): sysfs_slab_remove "
			   "of %s removes its directory again (another cache's sysfs_slab_add "
			   "removed it by name), through a freed sysfs_dirent", s->name);
	}
#endif
	for (i = registry_used - 1; i >= 0; i--)
		if (registry[i].s == s)
			registry_remove_at(i);
	s->kobj.registered = 0;
	kfree(s);
}

int slab_sysfs_init(void)
{
	struct kmem_cache *s;
	int err;

	down_write(&slub_lock);
	slab_state = SYSFS;

	list_for_each_entry(s, &slab_caches, list) {
		err = sysfs_slab_add(s);
		if (err)
			printk(KERN_ERR "SLUB: Unable to add boot slab %s to sysfs\n", s->name);
	}

	while (alias_list) {
		struct saved_alias *al = alias_list;

		alias_list = alias_list->next;
		err = sysfs_slab_alias(al->s, al->name);
		if (err)
			printk(KERN_ERR "SLUB: Unable to add boot slab alias %s to sysfs\n",
#if !defined(SLUB_BOOTSTRAP_SEED) && !defined(SLUB_BUG_UPSTREAM_ALIAS_MSG_NAME)
			       /*
				* Correction: 2.6.36 (and 3.x) printed s->name, with s the list
				* cursor left past the end of slab_caches: the "cache" made of the
				* list head, whose name is whatever lies beside it. Later kernels
				* print al->name.
				*/
			       al->name);
#else
			       s->name);
#endif
		saved_alias_free(al);
	}

	up_write(&slub_lock);
	return 0;
}

void slub_sysfs_drop_saved_aliases(void)
{
	while (alias_list) {
		struct saved_alias *al = alias_list;

		alias_list = al->next;
		saved_alias_free(al);
	}
}

void slub_sysfs_reset(void)
{
	registry_used = 0;
	registry_names_used = 0; /* a new machine: no entry points into the pool any more */
	alias_list = NULL; /* only non-empty after a boot that never reached SYSFS */
}
