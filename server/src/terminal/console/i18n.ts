/**
 * The console's words, in Japanese (the default: the clerks' language) and English (the switch).
 * Refusal codes get a sentence each, so the operator is told what to do, never a raw code alone.
 */
import type { Lang } from '../request-context.ts'

const JA = {
  title: '都道府県サーバ 業務端末',
  login: 'ログイン', accountId: '操作者ID', pin: 'PIN（暗証番号）', certificateFile: '操作者証明書ファイル（.crt）', keyFile: '操作者鍵ファイル（.key）',
  loginHelp: '二要素認証：操作者の鍵（ICカード相当）と PIN の両方が必要です。',
  search: '本人確認情報検索', purpose: '利用事務', juminhyoCode: '住民票コード', kojinBango: '個人番号', name: '氏名（漢字またはかな）', address: '住所',
  birthDate: '生年月日', sex: '性別', any: '指定しない', male: '男', female: '女', fuzzy: 'あいまい検索（清音化かな）', doSearch: '検索',
  searchHelp: '住民票コード、個人番号、または 氏名・住所・生年月日 のうち2つ以上を指定してください（性別のみは不可）。',
  results: '検索結果', hits: '件', open: '表示', noHits: '該当者はありません。', tooMany: '該当者が多すぎます。条件を絞り込んでください。',
  nationalUnavailable: '県内に該当者はありません。全国サーバへの照会は現在利用できません。', nationalAnswered: '全国サーバからの回答です。',
  removed: '消除者', record: '本人確認情報', item: '項目', value: '内容',
  provide: '提供・移転の記録', kind: '区分', teikyo: '提供（他の執行機関）', iten: '移転（庁内の他部署）', recipient: '提供先・移転先', items: '提供する項目',
  channel: '方法', terminal: '端末', paper: '紙', reference: '依頼文書番号', doProvide: '提供・移転を記録', provided: '提供・移転を記録しました。記録番号',
  accounts: '利用者管理', role: '役割', department: '所属', branch: '拠点', purposes: '利用事務', status: '状態', expires: '有効期限', registeredBy: '登録者', approvedBy: '承認者',
  failures: '失敗回数', actions: '操作', approve: '承認', revoke: '失効', delete: '削除', unlock: 'ロック解除', reported: '報告確認', renew: '年度更新',
  register: '利用者登録', certificatePem: '操作者証明書（PEM）', reason: '申請番号・備考', doRegister: '登録（承認待ち）', unreported: '14日を過ぎても報告のない拠点管理者の変更',
  changed: '変更を記録しました。記録番号',
  locked: '画面はロックされています', lockedHelp: '一定時間操作がなかったため、個人情報を隠しました。再度、鍵と PIN で認証してください。', unlockBtn: 'ロック解除',
  lock: '画面ロック', logout: 'ログアウト', loggedOut: 'ログアウトしました。', home: 'ホーム', noResidentRole: 'この役割では住民の情報を扱うことはできません。',
  lang: 'English', role_operator: '操作者', 'role_branch-admin': '拠点管理者', 'role_system-admin': 'システム管理者', 'role_security-officer': 'セキュリティ総括責任者',
  role_auditor: '監査者', role_technician: '保守技術者',
  deletions: '物理削除', deletionHelp: '市町村からの依頼に基づく物理削除：システム管理者が依頼文書番号を付して申請し、申請者以外のセキュリティ総括責任者が承認すると、その住民の鍵が破棄され、記録は復元できなくなります。',
  fileDeletion: '物理削除の申請', deletionReference: '市町村の依頼文書番号', doFileDeletion: '申請（承認待ち）', requestId: '申請番号', requestedBy: '申請者', requestedAt: '申請日時',
  decidedBy: '決定者', decidedAt: '決定日時', keysDestroyed: '破棄した鍵', reject: '却下', deletionStatus_pending: '承認待ち', deletionStatus_erased: '削除済み', deletionStatus_rejected: '却下',
  deletionFiled: '物理削除を申請しました。記録番号', deletionDecided: '決定を記録しました。記録番号', noDeletions: '申請はありません。',
  print: '印刷（記録されます）', printRecorded: '印刷を記録しました。',
  disclosure: '本人確認情報の開示', corrections: '訂正等の申出', correctionCase: '訂正案件',
  statistics: '統計', review: '操作履歴の点検', bulk: '一括提供'
}

type Words = typeof JA

const EN: Words = {
  title: 'Prefectural server — operator terminal',
  login: 'Log in', accountId: 'Operator ID', pin: 'PIN', certificateFile: 'Operator certificate file (.crt)', keyFile: 'Operator key file (.key)',
  loginHelp: 'Two factors: the operator key (IC-card equivalent) and the PIN are both required.',
  search: 'Identity search', purpose: 'Purpose (事務)', juminhyoCode: 'Resident code', kojinBango: 'My Number', name: 'Name (kanji or kana)', address: 'Address',
  birthDate: 'Date of birth', sex: 'Sex', any: 'Any', male: 'Male', female: 'Female', fuzzy: 'Fuzzy search (normalised kana)', doSearch: 'Search',
  searchHelp: 'Give a resident code, a My Number, or at least two of name, address and date of birth (sex alone is not enough).',
  results: 'Results', hits: 'found', open: 'Open', noHits: 'No one matches.', tooMany: 'Too many matches. Narrow the conditions.',
  nationalUnavailable: 'No one in the prefecture matches. The national server cannot be asked at present.', nationalAnswered: 'Answered by the national server.',
  removed: 'Removed', record: 'Identity record', item: 'Item', value: 'Value',
  provide: 'Record a provision or transfer', kind: 'Kind', teikyo: 'Provision (another executive body)', iten: 'Transfer (a department)', recipient: 'Recipient', items: 'Items',
  channel: 'Channel', terminal: 'Terminal', paper: 'Paper', reference: 'Request document no.', doProvide: 'Record provision', provided: 'Provision recorded. Log position',
  accounts: 'Accounts', role: 'Role', department: 'Department', branch: 'Branch', purposes: 'Purposes', status: 'Status', expires: 'Expires', registeredBy: 'Registered by', approvedBy: 'Approved by',
  failures: 'Failures', actions: 'Actions', approve: 'Approve', revoke: 'Revoke', delete: 'Delete', unlock: 'Unlock', reported: 'Mark reported', renew: 'Renew',
  register: 'Register an account', certificatePem: 'Operator certificate (PEM)', reason: 'Application no. / note', doRegister: 'Register (awaits approval)', unreported: 'Branch changes unreported after 14 days',
  changed: 'Change recorded. Log position',
  locked: 'The screen is locked', lockedHelp: 'Nothing was done for a while, so personal data was hidden. Authenticate again with your key and PIN.', unlockBtn: 'Unlock',
  lock: 'Lock screen', logout: 'Log out', loggedOut: 'You are logged out.', home: 'Home', noResidentRole: 'This role has no access to residents\' data.',
  lang: '日本語', role_operator: 'Operator', 'role_branch-admin': 'Branch administrator', 'role_system-admin': 'System administrator', 'role_security-officer': 'Security officer',
  role_auditor: 'Auditor', role_technician: 'Technician',
  deletions: 'Physical deletion', deletionHelp: 'Physical deletion on a municipality\'s request: a system administrator files it with the request reference; a security officer other than the requester approves, and the resident\'s keys are destroyed — the records can no longer be read.',
  fileDeletion: 'File a physical deletion', deletionReference: 'Municipality request reference', doFileDeletion: 'File (awaits approval)', requestId: 'Request', requestedBy: 'Requested by', requestedAt: 'Requested at',
  decidedBy: 'Decided by', decidedAt: 'Decided at', keysDestroyed: 'Keys destroyed', reject: 'Reject', deletionStatus_pending: 'Awaiting approval', deletionStatus_erased: 'Erased', deletionStatus_rejected: 'Rejected',
  deletionFiled: 'Physical deletion filed. Log position', deletionDecided: 'Decision recorded. Log position', noDeletions: 'No requests.',
  print: 'Print (recorded)', printRecorded: 'Print recorded.',
  disclosure: 'Disclosure to the resident', corrections: 'Correction requests', correctionCase: 'Correction case',
  statistics: 'Statistics', review: 'Operation-history review', bulk: 'Bulk provision'
}

export type Word = keyof Words

export function words (lang: Lang): Words {
  return lang === 'en' ? EN : JA
}

const ERRORS_JA: Readonly<Record<string, string>> = {
  KEN_ERR_TERM_NO_SESSION: 'ログインしてください。',
  KEN_ERR_TERM_SESSION_LOCKED: '画面がロックされています。再認証してください。',
  KEN_ERR_TERM_LOGIN_FAILED: '認証できませんでした。操作者ID、鍵ファイル、PIN を確認してください。',
  KEN_ERR_TERM_ACCOUNT_LOCKED: '認証の失敗が続いたため、このアカウントはロックされています。システム管理者に連絡してください。',
  KEN_ERR_TERM_ACCOUNT_EXPIRED: '登録の有効期限（翌年度4月30日）を過ぎています。再登録を申請してください。',
  KEN_ERR_TERM_ACCOUNT_INACTIVE: 'このアカウントは有効ではありません（承認待ち・失効・削除）。',
  KEN_ERR_TERM_ROLE_FORBIDDEN: 'この役割ではこの操作はできません。',
  KEN_ERR_TERM_PURPOSE_NOT_APPROVED: 'この利用事務は、あなたの所属に承認されていません。',
  KEN_ERR_TERM_ITEMS_OUTSIDE_PURPOSE: 'この利用事務では提供できない項目が含まれています。',
  KEN_ERR_TERM_SEARCH_CONDITIONS: '検索条件が足りません。氏名・住所・生年月日のうち2つ以上を指定してください（性別のみは不可）。',
  KEN_ERR_TERM_BAD_REQUEST: '入力に誤りがあります。',
  KEN_ERR_TERM_UNKNOWN_REF: 'この記録は、このセッションの検索結果にありません。検索し直してください。',
  KEN_ERR_TERM_RECIPIENT: 'この利用事務・区分では、その提供先・移転先は登録されていません。',
  KEN_ERR_TERM_CHANNEL: 'この提供先には、その方法では提供できません。',
  KEN_ERR_TERM_OTHER_BRANCH: '拠点管理者は自拠点の利用者のみ管理できます。',
  KEN_ERR_TERM_SAME_ADMINISTRATOR: '承認は登録者とは別の管理者が行ってください。',
  KEN_ERR_TERM_ACCOUNT_EXISTS: 'この操作者IDは登録済みです。',
  KEN_ERR_TERM_ACCOUNT_UNKNOWN: 'この操作者IDは登録されていません。',
  KEN_ERR_TERM_ACCOUNT_STATE: 'このアカウントの状態では、この変更はできません。',
  KEN_ERR_TERM_CERTIFICATE: '証明書がこの操作者IDの操作者証明書ではありません。',
  KEN_ERR_TERM_WEAK_PIN: 'PIN が短すぎるか単純すぎます。',
  KEN_ERR_TERM_UNAVAILABLE: '県サーバに接続できません。しばらくしてからやり直してください。',
  KEN_ERR_TERM_DELETION_REFERENCE: '物理削除の申請には、市町村の依頼文書番号が必要です。',
  KEN_ERR_TERM_DELETION_UNKNOWN_REQUEST: 'この番号の承認待ちの物理削除申請はありません。',
  KEN_ERR_TERM_DELETION_SAME_PERSON: '物理削除は申請者以外の者が承認してください。',
  KEN_ERR_TERM_UNKNOWN_RESIDENT: 'この住民票コードの住民は記録されていません。',
  KEN_ERR_TERM_PRINT_PROHIBITED: 'この装置では本人確認情報の画面を印刷できません（ハードコピー禁止）。',
  KEN_ERR_TERM_IDENTITY_UNVERIFIED: '開示の前に、本人確認の方法（書類）と請求書番号を記録してください。',
  KEN_ERR_TERM_CASE_UNKNOWN: 'その訂正案件は見つかりません。',
  KEN_ERR_TERM_CASE_STEP: 'この案件の現在の段階では、その処理はできません。',
  KEN_ERR_TERM_UPDATE_MISMATCH: 'その記録番号は、この案件の住民についての受理済みの更新ではありません。',
  KEN_ERR_TERM_BULK_NO_APPROVAL: 'この承認番号の一括提供の承認はありません。管理者の事前承認を受けてください。',
  KEN_ERR_TERM_BULK_APPROVAL_EXPIRED: '一括提供の承認の有効期限を過ぎています。改めて承認を受けてください。',
  KEN_ERR_TERM_BULK_APPROVAL_USED: 'この一括提供の承認は使用済みです。',
  KEN_ERR_TERM_BULK_APPROVAL_MISMATCH: '一括提供の内容が承認と一致しません（申請者・利用事務・件数）。'
}

const ERRORS_EN: Readonly<Record<string, string>> = {
  KEN_ERR_TERM_NO_SESSION: 'Please log in.',
  KEN_ERR_TERM_SESSION_LOCKED: 'The screen is locked. Authenticate again.',
  KEN_ERR_TERM_LOGIN_FAILED: 'Authentication failed. Check the operator ID, key file and PIN.',
  KEN_ERR_TERM_ACCOUNT_LOCKED: 'The account is locked after repeated failures. Contact the system administrator.',
  KEN_ERR_TERM_ACCOUNT_EXPIRED: 'The registration has expired (30 April of the next fiscal year). Apply again.',
  KEN_ERR_TERM_ACCOUNT_INACTIVE: 'The account is not active (awaiting approval, revoked or deleted).',
  KEN_ERR_TERM_ROLE_FORBIDDEN: 'Your role may not do this.',
  KEN_ERR_TERM_PURPOSE_NOT_APPROVED: 'Your department is not approved for this purpose.',
  KEN_ERR_TERM_ITEMS_OUTSIDE_PURPOSE: 'An item is outside what this purpose may receive.',
  KEN_ERR_TERM_SEARCH_CONDITIONS: 'Not enough conditions: give at least two of name, address and date of birth (sex alone is not enough).',
  KEN_ERR_TERM_BAD_REQUEST: 'The input is not valid.',
  KEN_ERR_TERM_UNKNOWN_REF: 'This record is not in this session\'s results. Search again.',
  KEN_ERR_TERM_RECIPIENT: 'That recipient is not registered for this purpose and kind.',
  KEN_ERR_TERM_CHANNEL: 'That channel is not allowed for this recipient.',
  KEN_ERR_TERM_OTHER_BRANCH: 'A branch administrator manages only the users of their own branch.',
  KEN_ERR_TERM_SAME_ADMINISTRATOR: 'The approval must come from a second administrator.',
  KEN_ERR_TERM_ACCOUNT_EXISTS: 'This operator ID exists.',
  KEN_ERR_TERM_ACCOUNT_UNKNOWN: 'No such operator ID.',
  KEN_ERR_TERM_ACCOUNT_STATE: 'The account\'s state does not allow this change.',
  KEN_ERR_TERM_CERTIFICATE: 'The certificate is not an operator certificate for this ID.',
  KEN_ERR_TERM_WEAK_PIN: 'The PIN is too short or too simple.',
  KEN_ERR_TERM_UNAVAILABLE: 'The prefectural server cannot be reached. Try again shortly.',
  KEN_ERR_TERM_DELETION_REFERENCE: 'A physical deletion request needs the municipality\'s request reference.',
  KEN_ERR_TERM_DELETION_UNKNOWN_REQUEST: 'No pending physical deletion request has this id.',
  KEN_ERR_TERM_DELETION_SAME_PERSON: 'A physical deletion must be approved by someone other than the requester.',
  KEN_ERR_TERM_UNKNOWN_RESIDENT: 'No resident with this resident code is on file.',
  KEN_ERR_TERM_PRINT_PROHIBITED: 'Printing identity screens is prohibited on this appliance.',
  KEN_ERR_TERM_IDENTITY_UNVERIFIED: 'Record how the requester\'s identity was verified (document and request form number) first.',
  KEN_ERR_TERM_CASE_UNKNOWN: 'No such correction case.',
  KEN_ERR_TERM_CASE_STEP: 'This step cannot follow the case\'s present state.',
  KEN_ERR_TERM_UPDATE_MISMATCH: 'That log position is not an accepted update of this case\'s resident.',
  KEN_ERR_TERM_BULK_NO_APPROVAL: 'There is no bulk-provision approval with this ID. Obtain an administrator\'s approval first.',
  KEN_ERR_TERM_BULK_APPROVAL_EXPIRED: 'The bulk-provision approval has expired. Obtain a new approval.',
  KEN_ERR_TERM_BULK_APPROVAL_USED: 'This bulk-provision approval has been used already.',
  KEN_ERR_TERM_BULK_APPROVAL_MISMATCH: 'The bulk provision does not match its approval (requester, purpose or count).'
}

export function errorText (lang: Lang, code: string): string {
  const table = lang === 'en' ? ERRORS_EN : ERRORS_JA
  return table[code] ?? table.KEN_ERR_TERM_BAD_REQUEST ?? code
}
