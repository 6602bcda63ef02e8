/* ofnotify: resource IDs shared by app.rc and the C code, as ranges. */
#ifndef OFNOTIFY_RESOURCE_H
#define OFNOTIFY_RESOURCE_H

/* Icons 100..119, drawn by tools/icongen (res/icons.mk). IDI_APP stays the
 * lowest: Explorer shows the lowest-numbered icon as the program's own. */
#define IDI_APP                     100
/* Tray, in tray_state order: white glyphs for a dark taskbar; adding
 * IDI_TRAY_LIGHT_OFFSET gives the dark glyphs for a light taskbar. */
#define IDI_TRAY_IDLE               101
#define IDI_TRAY_SYNCING            102
#define IDI_TRAY_OFF                103
#define IDI_TRAY_RECONNECTING       104
#define IDI_TRAY_LIGHT_OFFSET       4
#define IDI_TRAY_IDLE_LIGHT         105
#define IDI_TRAY_SYNCING_LIGHT      106
#define IDI_TRAY_OFF_LIGHT          107
#define IDI_TRAY_RECONNECTING_LIGHT 108
/* History list, direction column: IDI_DIR_FIRST + of_direction. */
#define IDI_DIR_FIRST               110
#define IDI_DIR_UNSPECIFIED         110
#define IDI_DIR_TWO_WAY             111
#define IDI_DIR_TO_SERVER           112
#define IDI_DIR_FROM_SERVER         113
#define IDI_DIR_FILL_SPARSE         114

/* Menus 150..159 and their commands 200..299. */
#define IDR_TRAY_MENU           150
#define IDM_OPEN_HISTORY        200
#define IDM_SYNC_NOW            201
#define IDM_NOTIFY_ALL          202
#define IDM_NOTIFY_TWO_WAY      203
#define IDM_NOTIFY_OFF          204
#define IDM_AUTOSTART           205
#define IDM_ABOUT               206
#define IDM_EXIT                207

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
#define IDS_ERR_CONFLICT        1011
#define IDS_ERR_REPEATED        1012
#define IDS_ERR_OUT_IN_STORE    1013
#define IDS_ERR_NO_DATA_DIR     1014
#define IDS_ERR_DATA_DIR_FILE   1015
#define IDS_ERR_NOT_IDLE        1016
#define IDS_ERR_NEEDS_EXPORT    1017
#define IDS_ERR_BAD_TIME        1018
#define IDS_ERR_TIME_ORDER      1019
#define IDS_TIP_RUNNING         1100
#define IDS_TIP_SYNCING         1101
#define IDS_TIP_DISABLED        1102
#define IDS_TIP_UNAVAILABLE     1103
#define IDS_TIP_RECONNECTING    1104
#define IDS_TIP_LAST            1105
#define IDS_TIP_TOO_OLD         1106
/* Sync now (src/app/syncnow.c, app_syncnow.c, cli.c): 1400..1449. */
#define IDS_SYNC_NOW_TITLE          1400
#define IDS_SYNC_NOW_NO_SERVICE     1401
#define IDS_SYNC_NOW_NO_SERVERS     1402
#define IDS_SYNC_NOW_LIST_FAILED    1403
#define IDS_SYNC_NOW_START_FAILED   1404
#define IDS_SYNC_NOW_BUSY           1405
#define IDS_SYNC_NOW_CLI_FAILED     1406
#define IDS_TIP_SYNC_NOW            1407

/* Strings 1200..1299: the history window (app/history/historywnd, app/history/chart). */
#define IDS_HIST_TITLE            1200
#define IDS_HIST_COL_COMPLETED    1201 /* the six column headers, in hist_col order */
#define IDS_HIST_COL_DIRECTION    1202
#define IDS_HIST_COL_DURATION     1203
#define IDS_HIST_COL_STARTED      1204
#define IDS_HIST_COL_STATUS       1205
#define IDS_HIST_COL_DETAILS      1206
#define IDS_HIST_FILTER_LABEL     1210
#define IDS_HIST_FILTER_ALL       1211
#define IDS_HIST_SEARCH_LABEL     1212
#define IDS_HIST_SEARCH_CUE       1213
#define IDS_HIST_COUNT_ALL        1214
#define IDS_HIST_COUNT_ONE        1215
#define IDS_HIST_COUNT_SOME       1216
#define IDS_HIST_FLAGS_TIP        1217
#define IDS_HIST_COPY             1220
#define IDS_HIST_EXPORT           1221
#define IDS_HIST_CLEAR            1222
#define IDS_HIST_EXPORT_TITLE     1230
#define IDS_HIST_EXPORT_CSV       1231
#define IDS_HIST_EXPORT_JSONL     1232
#define IDS_HIST_EXPORT_NAME      1233
#define IDS_HIST_EXPORT_FAILED    1234
#define IDS_HIST_EXPORT_NOT_MADE  1235
#define IDS_HIST_EXPORTING_TITLE  1236
#define IDS_HIST_EXPORTING        1237
#define IDS_HIST_CLEAR_ASK        1240
#define IDS_HIST_CLEAR_FAILED     1241
#define IDS_HIST_CLEAR_CAPTION    1242
#define IDS_CHART_CAPTION         1250
#define IDS_CHART_OTHER           1251
#define IDS_CHART_TIP_DATE        1252 /* GetDateFormat pictures */
#define IDS_CHART_LABEL_DATE      1253
#define IDS_CHART_TIP             1254
#define IDS_CHART_TIP_NONE        1255
#define IDS_CHART_N_TWO_WAY       1256 /* one per chart_series, in order */
#define IDS_CHART_N_TO_SERVER     1257
#define IDS_CHART_N_FROM_SERVER   1258
#define IDS_CHART_N_OTHER         1259
#define IDS_CHART_NAME            1260
#define IDS_CHART_SEPARATOR       1261

/* app/settings_reg, app/autostart and app/aboutdlg: strings 1300..1399, the
 * About dialog 300, its controls 3000..3099. */
#define IDD_ABOUT                           300
#define IDC_ABOUT_TITLE                     3000
#define IDC_ABOUT_DESCRIPTION               3001
#define IDC_ABOUT_DATA_LABEL                3002
#define IDC_ABOUT_DATA                      3003
#define IDC_ABOUT_HISTORY_LABEL             3004
#define IDC_ABOUT_HISTORY                   3005
#define IDC_ABOUT_SERVICE_LABEL             3006
#define IDC_ABOUT_SERVICE                   3007
#define IDC_ABOUT_AUTOSTART_LABEL           3008
#define IDC_ABOUT_AUTOSTART                 3009
#define IDC_ABOUT_SETTINGS_LABEL            3010
#define IDC_ABOUT_SETTINGS                  3011
#define IDC_ABOUT_NOTES_LABEL               3012
#define IDC_ABOUT_NOTES                     3013
#define IDS_SETTINGS_LAYER_MACHINE_POLICY   1300
#define IDS_SETTINGS_LAYER_USER_POLICY      1301
#define IDS_SETTINGS_LAYER_USER             1302
#define IDS_SETTINGS_NOTE_WRONG_TYPE        1303
#define IDS_SETTINGS_NOTE_BAD_DWORD         1304
#define IDS_SETTINGS_NOTE_OUT_OF_RANGE      1305
#define IDS_SETTINGS_NOTE_HALF_SET          1306
#define IDS_SETTINGS_NOTE_EMPTY_RANGE       1307
#define IDS_SETTINGS_NOTE_PARTNER_INVALID   1308
#define IDS_SETTINGS_LOCKED                 1309
#define IDS_AUTOSTART_REPAIR_PROMPT         1320
#define IDS_AUTOSTART_MACHINE_HINT          1321
#define IDS_ABOUT_CAPTION                   1340
#define IDS_ABOUT_TITLE                     1341
#define IDS_ABOUT_DESCRIPTION               1342
#define IDS_ABOUT_DATA_LABEL                1343
#define IDS_ABOUT_HISTORY_LABEL             1344
#define IDS_ABOUT_SERVICE_LABEL             1345
#define IDS_ABOUT_AUTOSTART_LABEL           1346
#define IDS_ABOUT_SETTINGS_LABEL            1347
#define IDS_ABOUT_NOTES_LABEL               1348
#define IDS_ABOUT_CLOSE                     1349
#define IDS_ABOUT_SERVICE_RUNNING           1350
#define IDS_ABOUT_SERVICE_DISABLED          1351
#define IDS_ABOUT_SERVICE_UNAVAILABLE       1352
#define IDS_ABOUT_SERVICE_RECONNECTING      1353
#define IDS_ABOUT_AUTOSTART_OFF             1354
#define IDS_ABOUT_AUTOSTART_ON              1355
#define IDS_ABOUT_AUTOSTART_MOVED           1356
#define IDS_ABOUT_AUTOSTART_DISABLED        1357
#define IDS_ABOUT_AUTOSTART_MACHINE         1358
#define IDS_ABOUT_AUTOSTART_UNKNOWN         1359
#define IDS_ABOUT_MODE                      1360
#define IDS_ABOUT_MODE_ALL                  1361
#define IDS_ABOUT_MODE_TWO_WAY              1362
#define IDS_ABOUT_MODE_OFF                  1363
#define IDS_ABOUT_QUIET                     1364
#define IDS_ABOUT_QUIET_NONE                1365
#define IDS_ABOUT_KEEP_COUNT                1366
#define IDS_ABOUT_KEEP_COUNT_ALL            1367
#define IDS_ABOUT_KEEP_DAYS                 1368
#define IDS_ABOUT_KEEP_DAYS_ALL             1369
#define IDS_ABOUT_LOCKED                    1370
#define IDS_ABOUT_NOTES_NONE                1371
#define IDS_ABOUT_SERVICE_TOO_OLD           1372
/* app/aboutdlg's Event Log line (app/eventlog). */
#define IDS_ABOUT_EVENTLOG_ON               1390
#define IDS_ABOUT_EVENTLOG_OFF              1391
#define IDS_ABOUT_EVENTLOG_FAILED           1392
#define IDS_ABOUT_EVENTLOG_DROPPED          1393

/* The history store's health (src/app/app_store.c): 1450..1469. */
#define IDS_STORE_NEWER_VERSION         1450
#define IDS_STORE_ACCESS                1451
#define IDS_STORE_DISK_FULL             1452
#define IDS_STORE_SEQ_LIMIT             1453
#define IDS_STORE_FAILED                1454
#define IDS_STORE_KEPT_JOURNAL          1455
#define IDS_STORE_KEPT_UNTOUCHED        1456
#define IDS_STORE_KEPT_MEMORY           1457
#define IDS_STORE_BALLOON_TITLE         1458
#define IDS_TIP_STORE                   1459
#define IDS_STORE_RECOVERED_TITLE       1460
#define IDS_STORE_RECOVERED_MOVED       1461
#define IDS_STORE_RECOVERED_CUT         1462
#define IDS_STORE_RECOVERED_RENUMBERED  1463
#define IDS_STORE_SEQ_RENUMBERED        1464

/* Working offline (src/app/app_offline.c, history/offlinebar.c): 1500..1549. */
#define IDS_OFFLINE_SCOPE_SINCE         1500
#define IDS_OFFLINE_NETWORK             1501
#define IDS_OFFLINE_TIP                 1502
#define IDS_OFFLINE_TIP_MORE            1503
#define IDS_OFFLINE_RECONNECTING        1504
#define IDS_OFFLINE_BALLOON_TITLE       1505
#define IDS_OFFLINE_BALLOON_BODY        1506
#define IDS_OFFLINE_BACK_TITLE          1507
#define IDS_OFFLINE_BACK_BODY           1508
#define IDS_OFFLINE_BANNER              1509
#define IDS_ABOUT_OFFLINE               1510
#define IDS_ABOUT_OFFLINE_OFF           1511
#define IDS_OFFLINE_NET_BALLOON_BODY    1512
#define IDS_OFFLINE_NET_BACK_BODY       1513

/* Who started a sync (1600..1649): the history window's filter. */
#define IDS_HIST_FILTER_SYNC_NOW        1600
#define IDS_HIST_FILTER_BACKGROUND      1601

/* Sync conflicts (app/app_conflicts.c, history/conflictlist.c): 1550..1599. */
#define IDS_TIP_CONFLICTS            1550
#define IDS_CONFLICT_BALLOON_TITLE   1551
#define IDS_CONFLICT_BALLOON_ONE     1552
#define IDS_CONFLICT_BALLOON_MORE    1553
#define IDS_CONFLICTS_TAB_SYNCS      1554
#define IDS_CONFLICTS_TAB            1555
#define IDS_CONFLICTS_COL_FILE       1556
#define IDS_CONFLICTS_COL_TIME       1557
#define IDS_CONFLICTS_COL_STATE      1558
#define IDS_CONFLICT_STATE_JOIN      1559
/* + of_conflict_local 1..13 (what this computer has), + of_conflict_remote 1..11 (the server). */
#define IDS_CONFLICT_LOCAL_BASE      1560
#define IDS_CONFLICT_REMOTE_BASE     1575
#define IDS_CONFLICT_STATE_SYNCED    1590
#define IDM_OPEN_CONFLICTS           1599

/* Strings 2000..2999: core/format's text, IDS_CORE_BASE + of_text_id. */
#define IDS_CORE_BASE           2000

#endif
