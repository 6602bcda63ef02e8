/* ofnotify: OFFLINEFILES_SYNC_STATE split into what each side has
 * (conflicts.h). The table follows the SDK's names, state by state: the part
 * before "_" is this computer's, the part after it the server's. */
#include "ofnotify/conflicts.h"

typedef struct sides {
    unsigned char local, remote;
} sides;

static const sides STATES[OF_SYNC_STATE_COUNT] = {
    {OF_CL_NONE, OF_CR_NONE},                         /* 0 Stable */
    {OF_CL_FILE, OF_CR_DIR},                          /* 1 FileOnClient_DirOnServer */
    {OF_CL_FILE, OF_CR_NO_COPY},                      /* 2 FileOnClient_NoServerCopy */
    {OF_CL_DIR, OF_CR_FILE},                          /* 3 DirOnClient_FileOnServer */
    {OF_CL_DIR, OF_CR_FILE_CHANGED},                  /* 4 DirOnClient_FileChangedOnServer */
    {OF_CL_DIR, OF_CR_NO_COPY},                       /* 5 DirOnClient_NoServerCopy */
    {OF_CL_FILE_CREATED, OF_CR_NO_COPY},              /* 6 FileCreatedOnClient_NoServerCopy */
    {OF_CL_FILE_CREATED, OF_CR_FILE_CHANGED},         /* 7 FileCreatedOnClient_FileChangedOnServer */
    {OF_CL_FILE_CREATED, OF_CR_DIR_CHANGED},          /* 8 FileCreatedOnClient_DirChangedOnServer */
    {OF_CL_FILE_CREATED, OF_CR_FILE},                 /* 9 FileCreatedOnClient_FileOnServer */
    {OF_CL_FILE_CREATED, OF_CR_DIR},                  /* 10 FileCreatedOnClient_DirOnServer */
    {OF_CL_FILE_CREATED, OF_CR_DELETED},              /* 11 FileCreatedOnClient_DeletedOnServer */
    {OF_CL_FILE_CHANGED, OF_CR_CHANGED},              /* 12 FileChangedOnClient_ChangedOnServer */
    {OF_CL_FILE_CHANGED, OF_CR_DIR},                  /* 13 FileChangedOnClient_DirOnServer */
    {OF_CL_FILE_CHANGED, OF_CR_DIR_CHANGED},          /* 14 FileChangedOnClient_DirChangedOnServer */
    {OF_CL_FILE_CHANGED, OF_CR_DELETED},              /* 15 FileChangedOnClient_DeletedOnServer */
    {OF_CL_FILE_SPARSE, OF_CR_CHANGED},               /* 16 FileSparseOnClient_ChangedOnServer */
    {OF_CL_FILE_SPARSE, OF_CR_DELETED},               /* 17 FileSparseOnClient_DeletedOnServer */
    {OF_CL_FILE_SPARSE, OF_CR_DIR},                   /* 18 FileSparseOnClient_DirOnServer */
    {OF_CL_FILE_SPARSE, OF_CR_DIR_CHANGED},           /* 19 FileSparseOnClient_DirChangedOnServer */
    {OF_CL_DIR_CREATED, OF_CR_NO_COPY},               /* 20 DirCreatedOnClient_NoServerCopy */
    {OF_CL_DIR_CREATED, OF_CR_DIR},                   /* 21 DirCreatedOnClient_DirOnServer */
    {OF_CL_DIR_CREATED, OF_CR_FILE},                  /* 22 DirCreatedOnClient_FileOnServer */
    {OF_CL_DIR_CREATED, OF_CR_FILE_CHANGED},          /* 23 DirCreatedOnClient_FileChangedOnServer */
    {OF_CL_DIR_CREATED, OF_CR_DIR_CHANGED},           /* 24 DirCreatedOnClient_DirChangedOnServer */
    {OF_CL_DIR_CREATED, OF_CR_DELETED},               /* 25 DirCreatedOnClient_DeletedOnServer */
    {OF_CL_DIR_CHANGED, OF_CR_FILE},                  /* 26 DirChangedOnClient_FileOnServer */
    {OF_CL_DIR_CHANGED, OF_CR_FILE_CHANGED},          /* 27 DirChangedOnClient_FileChangedOnServer */
    {OF_CL_DIR_CHANGED, OF_CR_CHANGED},               /* 28 DirChangedOnClient_ChangedOnServer */
    {OF_CL_DIR_CHANGED, OF_CR_DELETED},               /* 29 DirChangedOnClient_DeletedOnServer */
    {OF_CL_NO_COPY, OF_CR_FILE},                      /* 30 NoClientCopy_FileOnServer */
    {OF_CL_NO_COPY, OF_CR_DIR},                       /* 31 NoClientCopy_DirOnServer */
    {OF_CL_NO_COPY, OF_CR_FILE_CHANGED},              /* 32 NoClientCopy_FileChangedOnServer */
    {OF_CL_NO_COPY, OF_CR_DIR_CHANGED},               /* 33 NoClientCopy_DirChangedOnServer */
    {OF_CL_DELETED, OF_CR_FILE},                      /* 34 DeletedOnClient_FileOnServer */
    {OF_CL_DELETED, OF_CR_DIR},                       /* 35 DeletedOnClient_DirOnServer */
    {OF_CL_DELETED, OF_CR_FILE_CHANGED},              /* 36 DeletedOnClient_FileChangedOnServer */
    {OF_CL_DELETED, OF_CR_DIR_CHANGED},               /* 37 DeletedOnClient_DirChangedOnServer */
    {OF_CL_FILE_SPARSE, OF_CR_NONE},                  /* 38 FileSparseOnClient */
    {OF_CL_FILE_CHANGED, OF_CR_NONE},                 /* 39 FileChangedOnClient */
    {OF_CL_FILE_RENAMED, OF_CR_NONE},                 /* 40 FileRenamedOnClient */
    {OF_CL_DIR_SPARSE, OF_CR_NONE},                   /* 41 DirSparseOnClient */
    {OF_CL_DIR_CHANGED, OF_CR_NONE},                  /* 42 DirChangedOnClient */
    {OF_CL_DIR_RENAMED, OF_CR_NONE},                  /* 43 DirRenamedOnClient */
    {OF_CL_NONE, OF_CR_FILE_CHANGED},                 /* 44 FileChangedOnServer */
    {OF_CL_NONE, OF_CR_FILE_RENAMED},                 /* 45 FileRenamedOnServer */
    {OF_CL_NONE, OF_CR_FILE_DELETED},                 /* 46 FileDeletedOnServer */
    {OF_CL_NONE, OF_CR_DIR_CHANGED},                  /* 47 DirChangedOnServer */
    {OF_CL_NONE, OF_CR_DIR_RENAMED},                  /* 48 DirRenamedOnServer */
    {OF_CL_NONE, OF_CR_DIR_DELETED},                  /* 49 DirDeletedOnServer */
    {OF_CL_FILE_REPLACED_DELETED, OF_CR_FILE},        /* 50 FileReplacedAndDeletedOnClient_FileOnServer */
    {OF_CL_FILE_REPLACED_DELETED, OF_CR_FILE_CHANGED}, /* 51 ..._FileChangedOnServer */
    {OF_CL_FILE_REPLACED_DELETED, OF_CR_DIR},         /* 52 ..._DirOnServer */
    {OF_CL_FILE_REPLACED_DELETED, OF_CR_DIR_CHANGED}, /* 53 ..._DirChangedOnServer */
};

void of_conflict_state_sides(uint32_t state, of_conflict_local *local, of_conflict_remote *remote)
{
    sides s = state < OF_SYNC_STATE_COUNT ? STATES[state] : (sides){OF_CL_NONE, OF_CR_NONE};
    *local = (of_conflict_local)s.local;
    *remote = (of_conflict_remote)s.remote;
}

static const char *const LOCAL_WORDS[OF_CL_COUNT] = {
    "",
    "file on this computer",
    "folder on this computer",
    "file created on this computer",
    "file changed on this computer",
    "file partly cached on this computer",
    "file renamed on this computer",
    "file replaced and deleted on this computer",
    "folder created on this computer",
    "folder changed on this computer",
    "folder partly cached on this computer",
    "folder renamed on this computer",
    "no copy on this computer",
    "deleted on this computer",
};

static const char *const REMOTE_WORDS[OF_CR_COUNT] = {
    "",
    "file on the server",
    "folder on the server",
    "no copy on the server",
    "changed on the server",
    "file changed on the server",
    "folder changed on the server",
    "deleted on the server",
    "file renamed on the server",
    "file deleted on the server",
    "folder renamed on the server",
    "folder deleted on the server",
};

const char *of_conflict_local_words(of_conflict_local l)
{
    return (unsigned)l < OF_CL_COUNT ? LOCAL_WORDS[l] : "";
}

const char *of_conflict_remote_words(of_conflict_remote r)
{
    return (unsigned)r < OF_CR_COUNT ? REMOTE_WORDS[r] : "";
}
