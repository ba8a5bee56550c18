/* nbody.c: nbody.wat, operation for operation: the same constants, the
 * same order of every floating-point operation (so the same rounding and
 * the same result), the bodies in one array laid out as in the module's
 * memory (x, y, z, vx, vy, vz, mass). */
#include <math.h>

#include "programs.h"

enum { X, Y, Z, VX, VY, VZ, MASS, FIELDS };
enum { NBODIES = 5 };

static double bodies[NBODIES][FIELDS];

static const double pi = 3.141592653589793;
static const double days_per_year = 365.24;
static double solar_mass;

static void body(int i, double x, double y, double z, double vx, double vy, double vz, double mass) {
	double *b = bodies[i];
	b[X] = x;
	b[Y] = y;
	b[Z] = z;
	b[VX] = vx * days_per_year;
	b[VY] = vy * days_per_year;
	b[VZ] = vz * days_per_year;
	b[MASS] = mass * solar_mass;
}

static void init(void) {
	solar_mass = (4 * pi) * pi;
	body(0, 0, 0, 0, 0, 0, 0, 1);
	body(1, 4.84143144246472090e+00, -1.16032004402742839e+00, -1.03622044471123109e-01,
	     1.66007664274403694e-03, 7.69901118419740425e-03, -6.90460016972063023e-05,
	     9.54791938424326609e-04);
	body(2, 8.34336671824457987e+00, 4.12479856412430479e+00, -4.03523417114321381e-01,
	     -2.76742510726862411e-03, 4.99852801234917238e-03, 2.30417297573763929e-05,
	     2.85885980666130812e-04);
	body(3, 1.28943695621391310e+01, -1.51111514016986312e+01, -2.23307578892655734e-01,
	     2.96460137564761618e-03, 2.37847173959480950e-03, -2.96589568540237556e-05,
	     4.36624404335156298e-05);
	body(4, 1.53796971148509165e+01, -2.59193146099879641e+01, 1.79258772950371181e-01,
	     2.68067772490389322e-03, 1.62824170038242295e-03, -9.51592254519715870e-05,
	     5.15138902046611451e-05);
}

static void offset_momentum(void) {
	double px = 0, py = 0, pz = 0;
	for (int i = 0; i < NBODIES; i++) {
		double *a = bodies[i];
		double m = a[MASS];
		px = px + a[VX] * m;
		py = py + a[VY] * m;
		pz = pz + a[VZ] * m;
	}
	bodies[0][VX] = -px / solar_mass;
	bodies[0][VY] = -py / solar_mass;
	bodies[0][VZ] = -pz / solar_mass;
}

static void advance(double dt) {
	for (int i = 0; i < NBODIES; i++) {
		double *a = bodies[i];
		double mi = a[MASS];
		for (int j = i + 1; j < NBODIES; j++) {
			double *b = bodies[j];
			double dx = a[X] - b[X];
			double dy = a[Y] - b[Y];
			double dz = a[Z] - b[Z];
			double d2 = (dx * dx + dy * dy) + dz * dz;
			double mag = dt / (d2 * sqrt(d2));
			double mj = b[MASS];
			a[VX] = a[VX] - (dx * mj) * mag;
			a[VY] = a[VY] - (dy * mj) * mag;
			a[VZ] = a[VZ] - (dz * mj) * mag;
			b[VX] = b[VX] + (dx * mi) * mag;
			b[VY] = b[VY] + (dy * mi) * mag;
			b[VZ] = b[VZ] + (dz * mi) * mag;
		}
	}
	for (int i = 0; i < NBODIES; i++) {
		double *a = bodies[i];
		a[X] = a[X] + dt * a[VX];
		a[Y] = a[Y] + dt * a[VY];
		a[Z] = a[Z] + dt * a[VZ];
	}
}

static double energy(void) {
	double e = 0;
	for (int i = 0; i < NBODIES; i++) {
		double *a = bodies[i];
		double m = a[MASS];
		e = e + (0.5 * m) * ((a[VX] * a[VX] + a[VY] * a[VY]) + a[VZ] * a[VZ]);
		for (int j = i + 1; j < NBODIES; j++) {
			double *b = bodies[j];
			double dx = a[X] - b[X];
			double dy = a[Y] - b[Y];
			double dz = a[Z] - b[Z];
			e = e - (m * b[MASS]) / sqrt((dx * dx + dy * dy) + dz * dz);
		}
	}
	return e;
}

int64_t bench_nbody(int32_t steps) {
	init();
	offset_momentum();
	for (; steps > 0; steps--) {
		advance(0.01);
	}
	return (int64_t)(energy() * 1e9);
}
