"""Theory page: the mathematics behind the explorer, in brief.

Run by ``st.navigation`` in app.py; it sets no page config and draws no sidebar.
Section anchors (link to them as ``theory#<anchor>``):

    setting, worlds, scoring-rules, fixed-points, best-fixed-points, stability,
    performative-optimum, bounds, worked-example, many-outcomes,
    conditional-predictions, learning-dynamics, conventions, references
"""

import streamlit as st

st.title("Theory")
st.markdown(
    "A prediction that is announced can change what it predicts. This page collects the definitions and results "
    "the explorer computes; proofs and details are in the papers listed under [References](#references)."
)

# --- 1. The setting ---------------------------------------------------------------------------
st.header("1. The setting", anchor="setting")
st.markdown("There are $n$ outcomes $\\omega \\in \\{1,\\dots,n\\}$. A **prediction** is a distribution over them, "
            "a point of the simplex")
st.latex(r"\Delta = \Big\{\, p \in \mathbb{R}^n : p_\omega \ge 0,\ \sum_{\omega} p_\omega = 1 \,\Big\}.")
st.markdown("Once $p$ is announced the world responds: outcomes occur with distribution $q = f(p)$, where "
            "$f : \\Delta \\to \\Delta$ is the **world**. A constant $f$ is ordinary, influence-free forecasting.")

st.subheader("The world", anchor="worlds")
st.markdown("Most worlds in the app come from a human who reads the prediction and chooses one of $m$ actions. "
            "Action $a$ makes outcome $\\omega$ happen with probability $Q[a,\\omega]$, and the human takes $a$ "
            "with probability $\\pi(a \\mid p)$, so")
st.latex(r"f(p) = \sum_{a=1}^{m} \pi(a \mid p)\, Q[a,\cdot\,], \qquad "
         r"u_a(p) = \sum_{\omega} p_\omega\, U[a,\omega],")
st.markdown(r"""
where $u_a(p)$ is the expected utility of action $a$ under the prediction ($U$ is the human's utility table).
The response policies:
- **best response**: all weight on $\arg\max_a u_a(p)$, ties split evenly. Then $f$ is piecewise constant and
  jumps where the best action changes.
- **softmax** (quantal response) with rationality $\beta \ge 0$: $\pi(a \mid p) \propto e^{\beta u_a(p)}$.
  $\beta = 0$ is uniform, $\beta \to \infty$ recovers best response, and for finite $\beta$ the world is smooth.
- **$\varepsilon$-exploration**: $(1-\varepsilon)\,\pi + \varepsilon \cdot \text{uniform}$, so every action is
  taken with probability at least $\varepsilon/m$.
- **thresholds and ramps**: "withdraw if $P(\text{run}) > t$", or a linear blend of two actions across an interval.

Or $f$ is given directly, as in the papers' toy models. Binary: the linear world $f(p) = p^* + \alpha(p - p^*)$
(fixed point $p^*$, slope $\alpha$ = the *influence*), ramps, thresholds, logistic curves. For $n$ outcomes:
$f(p) = Ap$ with $A$ column-stochastic, or $f(p) = (1-\alpha)\,c + \alpha A p$.
""")

st.subheader("Scoring rules", anchor="scoring-rules")
st.markdown("A scoring rule pays $S(p,\\omega)$ to a predictor who announced $p$ when $\\omega$ happens. "
            "Under an outcome distribution $q$ the expected score is")
st.latex(r"S(p, q) = \sum_{\omega} q_\omega\, S(p, \omega).")
st.markdown(r"""
$S$ is **proper** if the truth is an optimal report, $S(q,q) \ge S(p,q)$ for all $p, q$, and **strictly proper** if
it is the only one. Propriety makes forecasters honest *when the forecast cannot move the world* — exactly the
assumption that fails here. Every (strictly) proper rule comes from a (strictly) convex $G$, the expected score of
a correct prediction (Savage 1971; Gneiting & Raftery 2007):
""")
st.latex(r"S(p, \omega) = G(p) + \big\langle \nabla G(p),\, e_\omega - p \big\rangle, \qquad G(q) = S(q, q).")
st.markdown(r"""
So $S(p,q)$ is the tangent plane of $G$ at $p$, evaluated at $q$; it lies below $G(q)$, and the gap is the Bregman
divergence of $G$. With two outcomes we write $p$ for the probability of the first outcome, $G$ as a function of
that number and $g = G'$; then $S(p,q) = G(p) + g(p)\,(q - p)$. The rules the app offers:

| Rule | $S(p,\omega)$ | $G(p) = S(p,p)$ | $\sup_p \lvert g/g' \rvert$ (two outcomes) |
|---|---|---|---|
| Logarithmic | $\ln p_\omega$ | $\sum_i p_i \ln p_i$ (negative entropy) | $\approx 0.224$ |
| Quadratic (Brier) | $2p_\omega - \lVert p \rVert^2$ | $\lVert p \rVert^2$ | $1/2$ |
| Spherical | $p_\omega / \lVert p \rVert$ | $\lVert p \rVert$ | $1$ |
| Power, $\alpha > 1$ | $\alpha p_\omega^{\alpha-1} - (\alpha-1)\sum_i p_i^\alpha$ | $\sum_i p_i^\alpha$ | depends on $\alpha$ |
| Pseudo-spherical, $\alpha > 1$ | $(p_\omega / \lVert p \rVert_\alpha)^{\alpha-1}$ | $\lVert p \rVert_\alpha$ | depends on $\alpha$ |
| Exponential, $K > 0$ (two outcomes) | $e^{Kp}/K + e^{Kp}\,(\mathbf{1}[\omega = 1] - p)$ | $e^{Kp}/K$ | $1/K$ |
| Linear (improper) | $p_\omega$ | — | — |

Power and pseudo-spherical with $\alpha = 2$ are the quadratic and spherical rules. The linear rule has expected score
$\langle p, q\rangle$, which is linear in $p$ and so best at a vertex: it rewards overconfidence even without
influence — what propriety buys is the absence of that incentive.
""")

# --- 2. Fixed points --------------------------------------------------------------------------
st.header("2. Fixed points", anchor="fixed-points")
st.markdown(r"""
A prediction is a **fixed point** — a self-fulfilling prophecy — if announcing it makes it true: $f(p) = p$.
A predictor who knows $f$ and wants to be right can only announce a fixed point.
- **Existence (Brouwer).** A continuous $f$ has a fixed point, since $\Delta$ is compact and convex. Softmax and
  ramp responses, and every direct world in the app, are continuous.
- **Uniqueness (Banach).** If $f$ is a contraction, $\lVert f(p) - f(p') \rVert \le L \lVert p - p' \rVert$ with
  $L < 1$, the fixed point is unique and repeated prediction reaches it from anywhere.
- **Step responses (Kakutani).** A best-responding human makes $f$ jump, and there may be no $p$ with $f(p) = p$:
  a self-defeating prophecy (forecast a jam on road A and everyone takes road B; forecast a clear road A and
  everyone takes it). Replace $f$ by the closure of its graph, convexified:
""")
st.latex(r"F(p) = \overline{\operatorname{conv}}\,\Big\{ \lim_{k\to\infty} f(p_k) : p_k \to p \Big\}.")
st.markdown(r"""
$F$ has nonempty convex compact values and a closed graph, so by Kakutani's theorem $p \in F(p)$ for some $p$.
For a best-responding human $F(p)$ consists of mixtures of the outcome distributions $Q[a,\cdot\,]$ of the actions
tied at $p$, so such a point is $p = \sum_a \lambda_a Q[a,\cdot\,]$: a **mixed fixed point**, self-fulfilling only
if the human mixes the tied actions with weights $\lambda$. The app shows these and labels them as mixed.
""")

st.subheader("Which fixed point is best?", anchor="best-fixed-points")
st.markdown(r"""
A predictor that is honest but free to choose among self-fulfilling prophecies prefers the one with the highest
score $G(p)$. With two outcomes and $G$ strictly convex, for every fixed point all the fixed points on one side of
it score higher, so the best one is the smallest or the largest: **the best fixed points are extreme**, the most
confident prophecies. The app also shows the fixed point best for the human (highest expected utility).
""")

st.subheader("Stability under repeated prediction", anchor="stability")
st.markdown(r"""
Let the predictor announce what happened last time, $p_{t+1} = f(p_t)$. Near a fixed point $p^*$ the deviation is
multiplied by the Jacobian $Df(p^*)$ restricted to the tangent space $T = \{v : \sum_i v_i = 0\}$ of the simplex:
""")
st.latex(r"p_{t+1} - p^* \approx Df(p^*)\,(p_t - p^*), \qquad "
         r"\rho = \max\big\{ \lvert\lambda\rvert : \lambda \text{ an eigenvalue of } Df(p^*)|_T \big\}.")
st.markdown(r"""
$p^*$ is **attracting** if every eigenvalue has modulus below 1 ($\rho < 1$), **repelling** if every modulus exceeds
1, and a **saddle** otherwise; the app says **neutral** when a modulus equals 1 to numerical precision. With two
outcomes the test is $\lvert f'(p^*) \rvert < 1$ or $> 1$. A fixed point inside a flat piece of a step world has
$Df = 0$ and attracts. A mixed fixed point at a jump of $f$ is labelled **repelling**: repeated prediction does not
settle there but hops between the outcome distributions of the tied actions.
""")

# --- 3. The performative optimum --------------------------------------------------------------
st.header("3. The performative optimum", anchor="performative-optimum")
st.markdown("A predictor paid by $S$ that knows $f$ maximises its expected score, taking its own influence into "
            "account:")
st.latex(r"\hat p \in \arg\max_{p \in \Delta}\, S\big(p, f(p)\big).")
st.markdown(r"""
For each fixed world the truth would be best, but here the report moves the world, and the predictor trades a
little accuracy for a world that is easier to predict (a higher $G$). With two outcomes:
""")
st.latex(r"\frac{d}{dp}\, S\big(p, f(p)\big) = g'(p)\,\big(f(p) - p\big) + f'(p)\, g(p).")
st.markdown(r"""
At a fixed point the first term vanishes, so an interior fixed point can be optimal only where $f'(p) = 0$ (the
world locally ignores the report) or $g(p) = 0$ (the least confident prediction, where $G$ is smallest). Otherwise
$\hat p$ is **not** self-fulfilling. The app shows its **inaccuracy** $\lvert \hat p - f(\hat p) \rvert$ and its
distance to the nearest fixed point.
""")

st.subheader("How far from a fixed point?", anchor="bounds")
st.markdown(r"""
Where the derivative vanishes, $\lvert f(\hat p) - \hat p \rvert = \lvert f'(\hat p) \rvert \,
\lvert g(\hat p)/g'(\hat p) \rvert$ (at $\hat p \in \{0, 1\}$ a one-sided version of the argument gives the same).
So if the influence is bounded, $\lvert f' \rvert \le L$:
""")
st.latex(r"\lvert \hat p - f(\hat p) \rvert \le L \sup_p \left\lvert \frac{g(p)}{g'(p)} \right\rvert, \qquad "
         r"\lvert \hat p - p^* \rvert \le \frac{L}{1-L} \sup_p \left\lvert \frac{g(p)}{g'(p)} \right\rvert "
         r"\quad (L < 1),")
st.markdown(r"""
the second because $\lvert f(\hat p) - f(p^*) \rvert \le L \lvert \hat p - p^* \rvert$ for the unique fixed
point $p^*$. The constant belongs to the rule: $1/2$ for quadratic, $\approx 0.224$ for log, $1$ for spherical,
$1/K$ for exponential. As $K$ grows, binary reports are forced arbitrarily close to fixed points.
""")

st.subheader("Worked example", anchor="worked-example")
st.markdown(r"""
Quadratic rule ($g(p) = 4p - 2$, $g' = 4$) and the linear world $f(p) = p^* + \alpha(p - p^*)$ with
$0 \le \alpha < 1/2$, where the objective is strictly concave. Setting the derivative to zero:
""")
st.latex(r"\hat p = \frac{2(1-\alpha)\,p^* - \alpha}{2 - 4\alpha} \quad \text{(clipped to } [0, 1]\text{)}.")
st.markdown(r"""
With $p^* = \alpha = 1/4$: $\hat p = 0.125$ and $f(\hat p) = 0.25 + 0.25\,(0.125 - 0.25) = 0.21875$. The
predictor announces 12.5 % for an event that then happens with probability 21.9 %: inaccuracy $0.09375$, within
the bound $L/2 = 0.125$. It under-reports because a lower report lowers the real probability too, pushing the
world towards the predictable extreme $p = 0$.
""")

st.subheader("More than two outcomes", anchor="many-outcomes")
st.markdown(r"""
Here the binary guarantee is lost: no scoring rule keeps $\hat p$ close to a fixed point in every world of small
influence. For the Brier score and a linear world $f(p) = Ap$ there is still a bound:
""")
st.latex(r"\lVert \hat p - f(\hat p) \rVert \le \lVert A \rVert_T \sqrt{\frac{n-1}{n}}, \qquad "
         r"\lVert A \rVert_T = \max\Big\{ \lVert A v \rVert : \sum_i v_i = 0,\ \lVert v \rVert \le 1 \Big\}.")

# --- 4. Conditional predictions ---------------------------------------------------------------
st.header("4. Conditional predictions and zero-sum training", anchor="conditional-predictions")
st.markdown(r"""
Influence runs through the human's action, so ask for predictions conditional on it: for every action $a$ the
predictor reports $P_a$, the outcome distribution if $a$ is taken. The human chooses from the reports (best
response, softmax or $\varepsilon$-exploration) and the predictor is scored on the action taken only,
$S(P_a, \omega)$ with $\omega \sim Q[a,\cdot\,]$. The reports on untaken actions are never checked, yet they decide
which action is taken.

**Example** (log score; the human takes the action with the higher reported chance of a good outcome). The true
chances are $1/3$ under action 1 and $1/2$ under action 2.
""")
st.latex(r"\text{honest: } \ln\tfrac12 \approx -0.6931, \qquad "
         r"\text{report } \tfrac14 \text{ for action 2: } \tfrac13\ln\tfrac13 + \tfrac23\ln\tfrac23 \approx -0.6365.")
st.markdown(r"""
The lie steers the human to the worse action, whose outcome is easier to predict, and it pays.

**Zero-sum pair.** Two predictors are scored against each other on the action taken,
$S(P^1_a, \omega) - S(P^2_a, \omega)$ and its negative, so steering the human gains nothing relative to the rival.
If the human judges each action by the more optimistic of the two reports, every equilibrium is honest on the
action taken and that action is a best one; with exploration (every action has positive probability) all reports
are honest.

**Training.** The choice is a step function of the reports, so gradients never see how a report changes the
action: plain gradient descent behaves like the stop-gradient objective and learns only the actions it happens to
take. Remedies: explore all actions, search non-locally (random search), or self-play of one model against a
detached copy of itself ($\operatorname{sg}$ stops the gradient):
""")
st.latex(r"\max_P\ \mathbb{E}_{a \sim \pi(P),\ \omega \sim Q[a,\cdot\,]}"
         r"\big[ S(P_a, \omega) - S(\operatorname{sg}(P)_a, \omega) \big].")

# --- 5. Learning dynamics ---------------------------------------------------------------------
st.header("5. Learning dynamics", anchor="learning-dynamics")
st.markdown(r"""
Where a *learning* predictor ends up depends on whether its updates see the effect of $p$ on the world.
- **Repeated risk minimisation** retrains on the last world: $p_{t+1} = \arg\max_p S(p, f(p_t)) = f(p_t)$, i.e.
  repeated prediction. It converges to the fixed point if $f$ is a contraction, locally if
  $\lvert f'(p^*) \rvert < 1$, and cycles or diverges otherwise.
- **Stop-gradient gradient ascent** differentiates with the world held fixed ($\Pi_\Delta$ projects onto the
  simplex); its rest points are the fixed points:
""")
st.latex(r"p_{t+1} = \Pi_\Delta\Big( p_t + \eta\, \nabla_p S(p, q) \big|_{p = p_t,\ q = f(p_t)} \Big).")
st.markdown(r"""
With two outcomes the step is $\eta\, g'(p_t)\,(f(p_t) - p_t)$, and a fixed point $p^*$ attracts it locally iff
$0 < \eta\, g'(p^*)\,(1 - f'(p^*)) < 2$. Online SGD on sampled outcomes $\omega_t \sim f(p_t)$ follows the same
dynamics in expectation.
- **Full (performative) gradient ascent** on $p \mapsto S(p, f(p))$ climbs the true objective and converges to
  $\hat p$ instead — the manipulative optimum, not a fixed point.
- **Perdomo et al. (2020)**, for a model $\theta$ inducing data $D(\theta)$: if $D$ is $\varepsilon$-sensitive
  ($W_1(D(\theta), D(\theta')) \le \varepsilon \lVert \theta - \theta' \rVert$) and the loss is $\gamma$-strongly
  convex and $\beta$-jointly smooth, repeated risk minimisation converges at a linear rate to the unique
  performatively stable point whenever $\varepsilon < \gamma/\beta$:
""")
st.latex(r"\theta_{t+1} = \arg\min_\theta\, \mathbb{E}_{Z \sim D(\theta_t)}\, \ell(Z; \theta), \qquad "
         r"\lVert \theta_{t+1} - \theta_{\mathrm{PS}} \rVert \le \frac{\varepsilon\beta}{\gamma}\, "
         r"\lVert \theta_t - \theta_{\mathrm{PS}} \rVert.")

# --- 6. Conventions ---------------------------------------------------------------------------
st.header("6. Conventions of this app", anchor="conventions")
st.markdown(r"""
- **Two outcomes:** $p$, $q$ and $f(p)$ are single numbers, the probability of the **first** outcome. Distances and
  inaccuracy are $\lvert p_1 - q_1 \rvert$, as in the papers (the Euclidean distance of the two vectors is
  $\sqrt2$ times larger).
- **Three or more outcomes:** distances and inaccuracy are Euclidean, $\lVert p - q \rVert$.
- **Ties:** a best-responding human splits ties evenly between the tied actions.
- **Stability** means stability under repeated prediction $p \leftarrow f(p)$. Scores are rewards (higher is
  better) and logarithms are natural.
""")

# --- 7. References ----------------------------------------------------------------------------
st.header("7. References", anchor="references")
st.markdown("""
1. J. Treutlein, R. J. Hudson, C. Oesterheld. *Proper scoring rules don't guarantee predicting fixed points.*
   AI Alignment Forum, December 2022.
   [alignmentforum.org](https://www.alignmentforum.org/posts/Aufg88v7mQ2RuEXkS/proper-scoring-rules-don-t-guarantee-predicting-fixed-points)
2. C. Oesterheld, J. Treutlein, E. Cooper, R. Hudson. *Incentivizing honest performative predictions with proper
   scoring rules.* UAI 2023. [arXiv:2305.17601](https://arxiv.org/abs/2305.17601)
3. R. J. Hudson, J. Treutlein. *Conditional prediction with zero-sum training solves self-fulfilling prophecies.*
   AI Alignment Forum, May 2023.
   [greaterwrong.com](https://www.greaterwrong.com/posts/A48amesEmqD8KNSmY/conditional-prediction-with-zero-sum-training-solves-self)
4. R. Hudson. *Safe predictive agents with joint scoring rules.* AI Alignment Forum, 2024.
   [alignmentforum.org](https://www.alignmentforum.org/posts/FFCDWx6qBdBds6jvL/safe-predictive-agents-with-joint-scoring-rules)
5. J. Treutlein, C. Oesterheld, R. Hudson, E. Cooper. *Stop-gradients lead to fixed point predictions.*
   AI Alignment Forum, 2023.
6. J. C. Perdomo, T. Zrnic, C. Mendler-Dünner, M. Hardt. *Performative prediction.* ICML 2020.
   [arXiv:2002.06673](https://arxiv.org/abs/2002.06673)

Background on proper scoring rules: L. J. Savage, *Elicitation of personal probabilities and expectations*, JASA
1971; T. Gneiting, A. E. Raftery, *Strictly proper scoring rules, prediction, and estimation*, JASA 2007.

Notebooks: the authors' Mathematica notebooks (sliders over $p^*$ and $\\alpha$, inaccuracy heatmaps) are in
[johannestreutlein/scoring-rules-performative](https://github.com/johannestreutlein/scoring-rules-performative);
Perdomo et al.'s experiments are in
[jcperdomo/performative-prediction](https://github.com/jcperdomo/performative-prediction).
""")
