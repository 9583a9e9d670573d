import t from 'tap'
const n: number = 2
t.equal(n + n, 4)
