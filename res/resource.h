/* ofnotify: resource IDs shared by app.rc and the C code, as ranges. */
#ifndef OFNOTIFY_RESOURCE_H
#define OFNOTIFY_RESOURCE_H

#define IDI_APP                 100

/* Strings 1000..1999: text of the Windows front end (command line, errors). */
#define IDS_APP_NAME            1000
#define IDS_USAGE               1001
#define IDS_ERR_BAD_OPTION      1002
#define IDS_ERR_EXPORT_FORMAT   1003
#define IDS_ERR_HISTORY_OPEN    1004
#define IDS_ERR_OUT_OPEN        1005
#define IDS_ERR_WRITE           1006
#define IDS_ERR_NOT_RUNNING     1007
#define IDS_ERR_TIMEOUT         1008
#define IDS_ERR_COM_INIT        1009
#define IDS_ERR_DATA_DIR        1010

/* Strings 2000..2999: core/format's text, IDS_CORE_BASE + of_text_id. */
#define IDS_CORE_BASE           2000

#endif
