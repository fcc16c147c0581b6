#!/usr/bin/env python3
"""SciPy reference for the leakhunt speed benchmark (issue 2, "Speed").

An independent implementation of leakhunt's full-network, isothermal gas physics
(physics.md sections 1-3) on the network `leakhunt export-network` writes: species masses per
module; compressible orifice flow through every open hatch (choked or subsonic, regularised near
zero difference with Modelica's regRoot, reversing); holes to space; O2 generation, CO2 and H2O
removal, vents; crew metabolism; forced ventilation exchange; gas temperatures as the exported
thermal functions (set point, orbital swing, unmeasured wander); rates wandering as exported.
Integrated with solve_ivp(method='BDF') at the exported rtol/atol, with the block sparsity of the
Jacobian (the same pattern leakhunt's coloured difference Jacobian uses), restarted at the
network's breakpoints and at every day boundary. Output: every module's pressure at 1 Hz, reduced
day by day to a checksum (sum of all pressures) so memory stays bounded, and the final pressures.

    scipy_reference.py run NET.json --days 30 --budget-s 600 -o scipy.json
    scipy_reference.py report scipy.json cpp_full.json cpp_reduced.json [--cpp-30d ...]

`run` stops early (whole days only) when the next day would overrun the budget, and says so.
"""
import argparse
import json
import math
import sys
import time

import numpy as np
import scipy
from scipy.integrate import solve_ivp
from scipy.sparse import csc_matrix

DAY = 86400.0
SQRT_HALF = math.sqrt(2.0 / 4.0)  # SmoothNoise: four unit sines scaled to unit variance


def noise_arrays(items):
    return (np.array([x["omega"] for x in items], dtype=float).reshape(len(items), 4),
            np.array([x["phase"] for x in items], dtype=float).reshape(len(items), 4))


def smooth_noise(t, omega, phase):
    """Sum of sines; t scalar -> shape (k,), t of shape (m,) -> (m, k)."""
    t = np.asarray(t, dtype=float)
    return np.sin(omega * t[..., None, None] + phase).sum(axis=-1) * SQRT_HALF


def piecewise_at(states, t, default):
    value = default
    for start, v in states:
        if t < start:
            break
        value = v
    return value


class Network:
    def __init__(self, d):
        sp = d["species"]
        self.ns = len(sp)
        ru = d["universal_gas_constant"]
        self.r_s = np.array([ru / s["molar_mass_kg_mol"] for s in sp])
        self.cp_s = np.array([s["cp_j_kgk"] for s in sp])
        self.species = {s["name"]: k for k, s in enumerate(sp)}
        mods = d["modules"]
        self.n = len(mods)
        self.ids = [m["id"] for m in mods]
        self.volume = np.array([m["volume_m3"] for m in mods])
        self.set_point = np.array([m["set_point_k"] for m in mods])
        self.set_point_changes = [m["set_point_changes"] for m in mods]
        self.response = np.array([m["response_time_s"] for m in mods])
        self.swing = np.array([m["swing_k"] for m in mods])
        self.omega = np.array([m["orbital_omega_rad_s"] for m in mods])
        self.phase = np.array([m["phase_rad"] for m in mods])
        self.unmeasured = np.array([m["unmeasured_k"] for m in mods])
        self.t_omega, self.t_phase = noise_arrays([m["unmeasured_noise"] for m in mods])
        self.reg_hatch = d["hatch_regularisation_pa"]
        self.reg_leak = d["leak_regularisation_pa"]

        h = d["hatches"]
        self.h_a = np.array([x["a"] for x in h], dtype=int)
        self.h_b = np.array([x["b"] for x in h], dtype=int)
        self.h_cda = np.array([x["cda_m2"] for x in h])
        self.h_vent = np.array([x["ventilation_m3_s"] for x in h])
        self.h_states = [x["states"] for x in h]
        # D @ F adds a flux F (hatch x species, positive from a to b) to b and takes it from a.
        self.incidence = np.zeros((self.n, len(h)))
        for k in range(len(h)):
            self.incidence[self.h_b[k], k] += 1.0
            self.incidence[self.h_a[k], k] -= 1.0

        self.leaks = d["leaks"]
        g = d["generators"]
        self.g_module = np.array([x["module"] for x in g], dtype=int)
        self.g_species = np.array([x["species"] for x in g], dtype=int)
        self.g_rate = np.array([x["rate_kg_s"] for x in g])
        self.g_spread = np.array([x["wander"]["spread"] for x in g])
        self.g_omega, self.g_phase = noise_arrays([x["wander"]["noise"] for x in g])
        r = d["removers"]
        self.r_module = np.array([x["module"] for x in r], dtype=int)
        self.r_species = np.array([x["species"] for x in r], dtype=int)
        self.r_flow = np.array([x["flow_m3_s"] for x in r])
        self.r_eff = np.array([x["efficiency"] for x in r])
        self.r_rate = np.array([x["rate_kg_s"] for x in r])
        self.r_spread = np.array([x["wander"]["spread"] for x in r])
        self.r_omega, self.r_phase = noise_arrays([x["wander"]["noise"] for x in r])
        self.r_is_vent = self.r_species < 0
        c = d["crew"]
        self.crew_locations = [x["locations"] for x in c]
        self.c_spread = np.array([x["wander"]["spread"] for x in c])
        self.c_omega, self.c_phase = noise_arrays([x["wander"]["noise"] for x in c])
        met = d["metabolism"]
        self.metabolism = np.zeros(self.ns)
        self.metabolism[self.species["O2"]] = -met["o2_kg_s"]
        self.metabolism[self.species["CO2"]] = met["co2_kg_s"]
        self.metabolism[self.species["H2O"]] = met["h2o_kg_s"]
        self.represses = d["represses"]
        self.set_chunk(0.0, 1.0)

    # --- inputs -----------------------------------------------------------------------------
    def gas_temperature(self, t):
        """Gas temperature of every module at t (scalar -> (n,), array (m,) -> (m, n))."""
        t = np.asarray(t, dtype=float)
        tt = t[..., None]
        sp = np.broadcast_to(self.set_point, tt.shape[:-1] + (self.n,)).copy()
        for i, changes in enumerate(self.set_point_changes):
            for at, target in changes:
                ti = tt[..., 0]
                reached = sp[..., i] + (target - sp[..., i]) * (
                    1.0 - np.exp(-(ti - at) / self.response[i]))
                sp[..., i] = np.where(ti >= at, reached, sp[..., i])
        sensed = sp + self.swing * np.sin(self.omega * tt + self.phase)
        return sensed + self.unmeasured * smooth_noise(t, self.t_omega, self.t_phase)

    @staticmethod
    def wander(t, spread, omega, phase):
        if len(spread) == 0:
            return spread
        f = np.maximum(0.0, 1.0 + spread * smooth_noise(t, omega, phase))
        return np.where(spread == 0.0, 1.0, f)

    @staticmethod
    def leak_cda(pieces, t):
        value = 0.0
        for p in pieces:
            if t < p["t0_s"]:
                break
            if t >= p["t1_s"]:
                value = p["cda1_m2"]
                continue
            f = (t - p["t0_s"]) / (p["t1_s"] - p["t0_s"])
            if p["exponential"] and p["cda0_m2"] > 0.0:
                return p["cda0_m2"] * (p["cda1_m2"] / p["cda0_m2"]) ** f
            return p["cda0_m2"] + (p["cda1_m2"] - p["cda0_m2"]) * f
        return value

    def set_chunk(self, ta, tb):
        """Hatch states, crew places and represses are constant between breakpoints."""
        mid = 0.5 * (ta + tb)
        self.open = np.array([1.0 if piecewise_at(s, mid, False) else 0.0 for s in self.h_states])
        self.crew_module = np.array([piecewise_at(loc, mid, -1) for loc in self.crew_locations],
                                    dtype=int)
        self.repress_now = np.zeros((self.n, self.ns))
        for r in self.represses:
            if r["t0_s"] <= mid < r["t1_s"]:
                self.repress_now[r["module"]] += r["rate_kg_s"] * np.array(r["composition"])

    # --- physics ----------------------------------------------------------------------------
    @staticmethod
    def orifice(cda, pu, tu, ru, gamma, pd, reg):
        """gas/orifice.cpp: choked or isentropic subsonic flow, regRoot near zero difference."""
        ok = (cda > 0.0) & (pu > 0.0)
        pu_s = np.where(ok, pu, 1.0)
        pd = np.maximum(pd, 0.0)
        r_crit = (2.0 / (gamma + 1.0)) ** (gamma / (gamma - 1.0))
        r = np.maximum(pd / pu_s, r_crit)
        dp = pu_s * (1.0 - r)
        rho = pu_s / (ru * tu)
        root = dp / (dp * dp + reg * reg) ** 0.25
        one_minus_r = 1.0 - r
        ln_r = np.log1p(-one_minus_r)
        a1 = 2.0 / gamma
        a2 = (gamma + 1.0) / gamma
        g = np.exp(a2 * ln_r) * np.expm1((a1 - a2) * ln_r)
        y2 = np.where(one_minus_r > 0.0,
                      gamma / (gamma - 1.0) * g / np.where(one_minus_r > 0.0, one_minus_r, 1.0),
                      1.0)
        return np.where(ok, cda * np.sqrt(2.0 * rho * y2) * root, 0.0)

    def module_states(self, t, y):
        m = np.maximum(y.reshape(self.n, self.ns), 0.0)
        mass = m.sum(axis=1)
        mr = m @ self.r_s
        mcp = m @ self.cp_s
        has = mass > 0.0
        safe = np.where(has, mass, 1.0)
        r = np.where(has, mr / safe, 287.0)
        cp = np.where(has, mcp / safe, 1005.0)
        gamma = np.where(has, cp / (cp - r), 1.4)
        temp = self.gas_temperature(t)
        p = mr * temp / self.volume
        w = m / safe[:, None]  # mass fractions (zero where there is no gas)
        return m, mass, r, gamma, temp, p, w

    def rhs(self, t, y):
        m, mass, r, gamma, temp, p, w = self.module_states(t, y)
        ydot = np.zeros((self.n, self.ns))
        for leak in self.leaks:
            i = leak["module"]
            mdot = self.orifice(self.leak_cda(leak["pieces"], t), p[i], temp[i], r[i], gamma[i],
                                0.0, self.reg_leak)
            ydot[i] -= mdot * w[i]
        if len(self.g_rate):
            f = self.wander(t, self.g_spread, self.g_omega, self.g_phase)
            np.add.at(ydot, (self.g_module, self.g_species), self.g_rate * f)
        if len(self.r_rate):
            f = self.wander(t, self.r_spread, self.r_omega, self.r_phase)
            vent = self.r_is_vent
            if vent.any():
                rate = self.r_rate[vent] * f[vent]
                np.add.at(ydot, self.r_module[vent], -rate[:, None] * w[self.r_module[vent]])
            sp = ~vent
            mod, spc = self.r_module[sp], self.r_species[sp]
            density = m[mod, spc] / self.volume[mod]
            np.add.at(ydot, (mod, spc), -self.r_flow[sp] * self.r_eff[sp] * density * f[sp])
        if len(self.crew_module):
            f = self.wander(t, self.c_spread, self.c_omega, self.c_phase)
            here = self.crew_module >= 0
            np.add.at(ydot, self.crew_module[here], f[here][:, None] * self.metabolism)
        ydot += self.repress_now
        # Ventilation swaps equal volumes both ways through open hatches; the pressure-driven
        # flow goes from the higher pressure to the lower, carrying the upstream composition.
        a, b = self.h_a, self.h_b
        fa = (self.h_vent * mass[a] / self.volume[a])[:, None] * w[a]
        fb = (self.h_vent * mass[b] / self.volume[b])[:, None] * w[b]
        b_up = p[b] > p[a]
        up = np.where(b_up, b, a)
        down = np.where(b_up, a, b)
        mdot = self.orifice(self.h_cda, p[up], temp[up], r[up], gamma[up], p[down],
                            self.reg_hatch)
        fh = np.where(b_up, -mdot, mdot)[:, None] * w[up]
        ydot += self.incidence @ (self.open[:, None] * (fa - fb + fh))
        return ydot.ravel()

    def jacobian(self, atol):
        """A difference Jacobian like leakhunt's: the blocks of a module and of its neighbours
        through the hatches open in this chunk; modules coloured so that no two of a colour
        share a neighbour, one RHS per colour and species (Curtis-Powell-Reid), step
        sqrt(eps) * max(|y|, 1e3 atol). (SciPy's own num_jac is not usable here: a column whose
        entries are all exactly zero, an isolated module's, makes it grow the step without bound
        until the state overflows.)"""
        k, n = self.ns, self.n
        neighbours = [{i} for i in range(n)]
        for a, b, is_open in zip(self.h_a, self.h_b, self.open):
            if is_open:
                neighbours[a].add(b)
                neighbours[b].add(a)
        colour = [-1] * n
        for i in range(n):
            used = {colour[j] for n1 in neighbours[i] for j in neighbours[n1]}
            colour[i] = next(c for c in range(n + 1) if c not in used)
        rows, cols = [], []
        for b in range(n):
            for c in range(k):
                for nb in sorted(neighbours[b]):
                    rows.extend(range(nb * k, nb * k + k))
                    cols.extend([b * k + c] * k)
        rows, cols = np.array(rows), np.array(cols)
        group = np.array([colour[j // k] * k + j % k for j in range(n * k)])
        groups = [np.nonzero(group == g)[0] for g in range(max(colour) * k + k)]
        root = math.sqrt(np.finfo(float).eps)

        def jac(t, y):
            f0 = self.rhs(t, y)
            h = root * np.maximum(np.abs(y), 1e3 * atol)
            df = np.empty((n * k, len(groups)))
            for g, members in enumerate(groups):
                yp = y.copy()
                yp[members] += h[members]
                df[:, g] = self.rhs(t, yp) - f0
            hh = (y + h) - y
            return csc_matrix((df[rows, group[cols]] / hh[cols], (rows, cols)),
                              shape=(n * k, n * k))

        return jac

    def pressures(self, t, ys):
        """Pressures at times t (m,) from states ys (state, m) -> (m, n)."""
        m = np.maximum(ys.T.reshape(len(t), self.n, self.ns), 0.0)
        return (m @ self.r_s) * self.gas_temperature(t) / self.volume


def run(args):
    d = json.load(open(args.network))
    if d.get("thermal") != "isothermal":
        sys.exit("scipy_reference: isothermal networks only")
    net = Network(d)
    y = np.array(d["initial_state_kg"], dtype=float)
    rtol, atol = d["rtol"], np.array(d["atol"], dtype=float)
    period = d["output_period_s"]
    breaks = [b for b in d["breakpoints_s"] if 0.0 < b < args.days * DAY]
    start = time.perf_counter()
    checksum, samples, steps, nfev, njev, nlu = 0.0, 0, 0, 0, 0, 0
    days_run = 0
    for day in range(int(math.ceil(args.days))):
        elapsed = time.perf_counter() - start
        if day > 0 and elapsed + elapsed / day > args.budget_s:
            break
        d0, d1 = day * DAY, min((day + 1) * DAY, args.days * DAY)
        edges = [d0] + [b for b in breaks if d0 < b < d1] + [d1]
        for ta, tb in zip(edges[:-1], edges[1:]):
            net.set_chunk(ta, tb)
            sol = solve_ivp(net.rhs, (ta, tb), y, method="BDF", rtol=rtol, atol=atol,
                            jac=net.jacobian(atol), dense_output=True)
            if not sol.success:
                sys.exit(f"scipy_reference: solve_ivp failed in [{ta}, {tb}]: {sol.message}")
            steps += len(sol.t) - 1
            nfev, njev, nlu = nfev + sol.nfev, njev + sol.njev, nlu + sol.nlu
            # Outputs on the grid in [ta, tb), in batches of at most a quarter day.
            k0, k1 = int(math.ceil(ta / period - 1e-9)), int(math.ceil(tb / period - 1e-9))
            for b0 in range(k0, k1, 21600):
                tt = np.arange(b0, min(b0 + 21600, k1)) * period
                checksum += float(net.pressures(tt, sol.sol(tt)).sum())
                samples += len(tt) * net.n
            y = sol.y[:, -1].copy()
        days_run = day + 1
        print(f"  scipy: day {days_run} done, {time.perf_counter() - start:.1f} s", flush=True)
    t_end = days_run * DAY if days_run < args.days else args.days * DAY
    final = net.pressures(np.array([t_end]), y[:, None])[0]
    checksum += float(final.sum())  # the output at t_end itself, as leakhunt emits it
    samples += net.n
    wall = time.perf_counter() - start
    out = {"implementation": f"scipy {scipy.__version__} solve_ivp BDF, numpy {np.__version__}",
           "days_requested": args.days, "days": t_end / DAY, "wall_s": wall, "steps": steps,
           "rhs_evaluations": nfev, "jacobians": njev, "lu": nlu, "samples": samples,
           "checksum_pa": checksum, "final_pressures_pa": final.tolist(), "modules": net.ids,
           "temperatures": "exported thermal functions (set point, orbital swing, wander)",
           "life_support": "as exported (generators, removers, vents, crew, ventilation)"}
    json.dump(out, open(args.output, "w"))
    print(f"  scipy: {out['days']:g} days in {wall:.2f} s ({steps} steps, {nfev} RHS, "
          f"{njev} Jacobians)")


def report(args):
    sp = json.load(open(args.scipy))
    cpp = [json.load(open(f)) for f in args.cpp]
    days = sp["days"]
    partial = days < sp["days_requested"]
    label = f"{days:g} days" + (" (MEASURED on fewer days: SciPy would overrun the budget)"
                                if partial else "")
    print(f"SciPy reference vs leakhunt, ISS 2018 + 2 mm hole, {label}, 1 Hz output of "
          f"{len(sp['modules'])} module pressures, rtol {cpp[0]['rtol']:g}, same atol vector")
    print(f"  physics both sides: full network, isothermal; temperatures {sp['temperatures']}; "
          f"life support {sp['life_support']}")
    print(f"  SciPy ({sp['implementation']}): {sp['wall_s']:.2f} s, {sp['wall_s'] / days:.2f} s "
          f"per simulated day, {sp['steps']} steps, {sp['rhs_evaluations']} RHS")
    ref = np.array(sp["final_pressures_pa"])
    worst = 0.0
    for c in cpp:
        if abs(c["days"] - days) > 1e-9:
            continue
        if not c.get("output", True):
            print(f"  leakhunt {c['solver']}, same days WITHOUT output (integration only, for "
                  f"reference): {c['wall_s']:.3f} s, {c['steps']} steps")
            continue
        fin = np.array(c["final_pressures_pa"])
        diff = float(np.max(np.abs(fin - ref) / np.abs(ref)))
        chk = abs(c["checksum_pa"] - sp["checksum_pa"]) / abs(sp["checksum_pa"])
        same = c["samples"] == sp["samples"]
        ratio = sp['wall_s'] / c['wall_s']
        target = (f" (target >= {args.target:g} on the full network, issue 15: "
                  f"{ratio / args.target:.2f} of it)" if c['solver'].startswith("full") else "")
        print(f"  leakhunt {c['solver']}: {c['wall_s']:.3f} s, {c['steps']} steps; "
              f"SciPy/leakhunt time ratio {ratio:.1f}{target}")
        print(f"      max relative difference of final module pressures vs SciPy {diff:.2e}; "
              f"checksum of all {c['samples']} pressure samples differs by {chk:.2e} relative"
              f"{'' if same else ' (SAMPLE COUNTS DIFFER: ' + str(sp['samples']) + ')'}")
        worst = max(worst, diff)
    for c in cpp:
        if abs(c["days"] - days) > 1e-9 and c.get("output", True):
            print(f"  leakhunt {c['solver']} over {c['days']:g} days: {c['wall_s']:.3f} s "
                  f"(SciPy PROJECTED at its measured per-day rate: "
                  f"{sp['wall_s'] / days * c['days']:.0f} s, ratio "
                  f"{sp['wall_s'] / days * c['days'] / c['wall_s']:.1f} projected)")
    agree = worst <= args.tolerance
    print(f"  agreement to {args.tolerance:g}: {'yes' if agree else 'NO'} (worst {worst:.2e})")
    return 0 if agree else 1


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("run")
    r.add_argument("network")
    r.add_argument("--days", type=float, default=30.0)
    r.add_argument("--budget-s", type=float, default=600.0)
    r.add_argument("-o", "--output", required=True)
    c = sub.add_parser("report")
    c.add_argument("scipy")
    c.add_argument("cpp", nargs="+")
    c.add_argument("--tolerance", type=float, default=1e-5)
    c.add_argument("--target", type=float, default=100.0,
                   help="SciPy/leakhunt time ratio wanted of the full network (issue 15)")
    a = p.parse_args()
    if a.cmd == "run":
        run(a)
        return 0
    return report(a)


if __name__ == "__main__":
    sys.exit(main())
