// The macro bomb the bomb tests share: each level doubles its argument twice over. A(x) gives 2
// copies of x, B 4, C 16, D 256, E 65,536, F 2^32: J(1) alone has 2^512 tokens. Lines 1-10.
export const LADDER = `#define A(x) x x
#define B(x) A(A(x))
#define C(x) B(B(x))
#define D(x) C(C(x))
#define E(x) D(D(x))
#define F(x) E(E(x))
#define G(x) F(F(x))
#define H(x) G(G(x))
#define I(x) H(H(x))
#define J(x) I(I(x))
`;
