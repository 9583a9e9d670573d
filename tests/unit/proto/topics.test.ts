import t from 'tap'
import { parseTopic, topicFor, TOPIC_KINDS, type TopicKind } from '../../../proto/src/topics.ts'

t.test('every v1 topic parses to its kind, municipality and message type', async (t) => {
  t.same(parseTopic('ken/v1/cs/401307/update'), { kind: 'update', municipalityCode: '401307', message: 'Update' })
  t.same(parseTopic('ken/v1/cs/401307/result'), { kind: 'result', municipalityCode: '401307', message: 'UpdateResult' })
  t.same(parseTopic('ken/v1/cs/131016/reconcile'), { kind: 'reconcile', municipalityCode: '131016', message: 'ReconcileChunk' })
  t.same(parseTopic('ken/v1/cs/011002/reconcile/result'), { kind: 'reconcileResult', municipalityCode: '011002', message: 'ReconcileResult' })
  for (const kind of Object.keys(TOPIC_KINDS) as TopicKind[]) {
    t.same(parseTopic(topicFor(kind, '271004')), { kind, municipalityCode: '271004', message: TOPIC_KINDS[kind].message }, `topicFor(${kind}) round-trips`)
  }
})

t.test('parseTopic fails closed', async (t) => {
  const refused: Record<string, string> = {
    'ken/v1/cs/401307/updates': 'unknown suffix',
    'ken/v1/cs/401307/delete': 'unknown suffix',
    'ken/v1/cs/401307/reconcile/results': 'unknown nested suffix',
    'ken/v1/cs/401307/result/reconcile': 'suffixes in the wrong order',
    'ken/v1/cs/401307/': 'empty suffix',
    'ken/v1/cs/401307': 'no suffix',
    'ken/v1/cs/+/update': 'single-level wildcard as municipality',
    'ken/v1/cs/401307/+': 'single-level wildcard as suffix',
    'ken/v1/cs/#': 'multi-level wildcard',
    'ken/v1/cs/401307/#': 'multi-level wildcard after the code',
    'ken/v1/+/401307/update': 'wildcard in the prefix',
    '#': 'bare wildcard',
    'ken/v1/cs/40130/update': 'five-digit code',
    'ken/v1/cs/4013070/update': 'seven-digit code',
    'ken/v1/cs/40130a/update': 'a letter in the code',
    'ken/v1/cs/４０１３０７/update': 'full-width digits',
    'ken/v1/cs//update': 'empty code',
    'ken/v1/cs/401307/update/extra': 'an extra segment',
    'ken/v1/cs/401307/reconcile/result/x': 'an extra segment after a nested suffix',
    'ken/v1/cs/401307/update/': 'trailing slash',
    '/ken/v1/cs/401307/update': 'leading slash',
    'ken/v2/cs/401307/update': 'another contract version',
    'KEN/v1/cs/401307/update': 'topics are case-sensitive',
    'ken/v1/cs/401307/update\u0000': 'a NUL character',
    '$SYS/broker/uptime': 'broker topics',
    '': 'empty'
  }
  for (const [topic, why] of Object.entries(refused)) t.equal(parseTopic(topic), undefined, why)
})
